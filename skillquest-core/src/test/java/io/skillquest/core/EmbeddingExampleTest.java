package io.skillquest.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/** Compiles and runs the README's embedding example, so the documented code cannot rot. */
class EmbeddingExampleTest {

  private static final String HEADING = "## Embedding skillquest-core";

  /** The example's output, compiled and run once for both tests: javac is slow to warm up. */
  private static String output;

  @Test
  void readmeEmbeddingExampleCompilesAndRuns() throws Exception {
    assertThat(output())
        .contains("xp=1300 level=4 to_next=300")
        .contains("streak current=3 longest=3")
        .contains("earned=[Centurion, Regular]")
        .contains("decodes to xp=1300 at 2026-03-10T03:00:00.007Z");
  }

  @Test
  void documentedOutputMatchesWhatTheExamplePrints() throws Exception {
    String doc = section();
    int start = doc.indexOf("It prints:");
    assertThat(start).as("the section shows what the example prints").isNotNegative();
    String printed = fencedBlock(doc.substring(start), "```\n");
    assertThat(output().strip()).isEqualTo(printed.strip());
  }

  private static synchronized String output() throws Exception {
    if (output == null) {
      String source = exampleSource();
      Matcher name = Pattern.compile("\\bclass\\s+(\\w+)").matcher(source);
      assertThat(name.find()).as("the example declares a class").isTrue();
      output = run(name.group(1), compile(name.group(1), source));
    }
    return output;
  }

  private static String exampleSource() throws IOException {
    return fencedBlock(section(), "```java\n");
  }

  /**
   * The embedding section of the repository's README.md (surefire runs in the module directory).
   */
  private static String section() throws IOException {
    String text =
        Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8).replace("\r\n", "\n");
    int at = text.indexOf(HEADING + "\n");
    assertThat(at).as("README.md has a '%s' section", HEADING).isNotNegative();
    String rest = text.substring(at + HEADING.length());
    // the section ends at the next heading of the same or a higher level
    Matcher next = Pattern.compile("\n#{1,2} ").matcher(rest);
    return next.find() ? rest.substring(0, next.start() + 1) : rest;
  }

  private static String fencedBlock(String text, String opening) {
    int start = text.indexOf(opening);
    assertThat(start).as("a %s block", opening.strip()).isNotNegative();
    int body = start + opening.length();
    int end = text.indexOf("\n```", body - 1);
    assertThat(end).as("the block is closed").isGreaterThanOrEqualTo(body - 1);
    return text.substring(body, end + 1);
  }

  private static Map<String, byte[]> compile(String className, String source) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertThat(compiler).as("a JDK, not a JRE, runs the tests").isNotNull();
    var diagnostics = new DiagnosticCollector<JavaFileObject>();
    var classes = new HashMap<String, byte[]>();
    // the test classpath, plus where core's own classes live in case surefire hid them in a
    // manifest jar
    String classPath =
        System.getProperty("java.class.path")
            + File.pathSeparator
            + Path.of(URI.create(codeSource(io.skillquest.core.xp.Level.class))).toString();
    try (StandardJavaFileManager standard =
            compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8);
        JavaFileManager files = new InMemoryOutput(standard, classes)) {
      var unit =
          new SimpleJavaFileObject(
              URI.create("string:///" + className + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
              return source;
            }
          };
      boolean ok =
          compiler
              .getTask(
                  null,
                  files,
                  diagnostics,
                  List.of("-classpath", classPath, "-proc:none", "-Xlint:all", "-Werror"),
                  null,
                  List.of(unit))
              .call();
      assertThat(ok)
          .as("the example compiles without warnings: %s", diagnostics.getDiagnostics())
          .isTrue();
    }
    return classes;
  }

  private static String codeSource(Class<?> type) {
    return type.getProtectionDomain().getCodeSource().getLocation().toString();
  }

  private static String run(String className, Map<String, byte[]> classes) throws Exception {
    var loader =
        new ClassLoader(EmbeddingExampleTest.class.getClassLoader()) {
          @Override
          protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
              throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
          }
        };
    Method main = loader.loadClass(className).getMethod("main", String[].class);
    var out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      main.invoke(null, (Object) new String[0]);
    } finally {
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Keeps compiled classes in memory, keyed by binary name. */
  private static final class InMemoryOutput
      extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, byte[]> classes;

    InMemoryOutput(StandardJavaFileManager delegate, Map<String, byte[]> classes) {
      super(delegate);
      this.classes = classes;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      return new SimpleJavaFileObject(
          URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          return new ByteArrayOutputStream() {
            @Override
            public void close() {
              classes.put(className, toByteArray());
            }
          };
        }
      };
    }
  }
}
