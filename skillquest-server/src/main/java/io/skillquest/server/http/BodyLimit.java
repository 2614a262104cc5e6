package io.skillquest.server.http;

import io.javalin.http.Context;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.IOException;

/**
 * The request-size limit (1 MiB, 413). Javalin's {@code maxRequestSize} only compares the
 * Content-Length header, so a chunked body (no Content-Length) would be read whole. Two parts:
 * {@link #check} refuses a declared oversized body before any handler runs, and {@link #filter()}
 * caps the stream of undeclared bodies, failing the read with {@link TooLarge} which {@link
 * Problems} maps to 413.
 */
public final class BodyLimit {
  private final long maxBytes;

  public BodyLimit(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  public void check(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
  }

  static Problem tooLarge(long maxBytes) {
    return new Problem(413, "Content Too Large", "the request body exceeds " + maxBytes + " bytes");
  }

  /** A servlet filter wrapping requests without Content-Length in a counting stream. */
  public Filter filter() {
    return new Filter() {
      @Override
      public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
          throws IOException, ServletException {
        if (req instanceof HttpServletRequest http && http.getContentLengthLong() < 0) {
          chain.doFilter(new Capped(http, maxBytes), res);
        } else {
          chain.doFilter(req, res);
        }
      }
    };
  }

  /** Thrown when an undeclared body grows past the limit. */
  public static final class TooLarge extends IOException {
    final long maxBytes;

    TooLarge(long maxBytes) {
      super("request body exceeds " + maxBytes + " bytes");
      this.maxBytes = maxBytes;
    }
  }

  private static final class Capped extends HttpServletRequestWrapper {
    private final long maxBytes;
    private ServletInputStream stream;

    Capped(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public synchronized ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new CappedStream(super.getInputStream(), maxBytes);
      }
      return stream;
    }
  }

  private static final class CappedStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    CappedStream(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
      int n = in.read(buf, off, len);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLarge {
      read += n;
      if (read > maxBytes) {
        throw new TooLarge(maxBytes);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }
  }
}
