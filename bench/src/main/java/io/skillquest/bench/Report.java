package io.skillquest.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Collects every figure of a run and writes them as Markdown, SkillQuest beside the raw limits. */
final class Report {

  /** A statement's calls and mean execution (and, for the lone awards, planning) time. */
  record Statement(String query, double callsPerAward, double msPerAward, double planMs) {}

  private List<Statement> loneStatements = List.of();

  void loneStatements(List<Statement> top) {
    loneStatements = top;
  }

  private record Scenario(OpenLoop.Result result, double p99TargetMs, String target) {}

  private record Drain(
      int badges,
      int tasks,
      long processed,
      double seconds,
      long maxQueue,
      double statements,
      double dbMs,
      double xacts,
      List<Statement> top) {

    double perTransaction() {
      return xacts > 0 ? statements / xacts : Double.NaN;
    }
  }

  private record Memory(
      String who, long pid, boolean alive, boolean oom, String heap, String hwm) {}

  private record Seed(String what, long rows, double seconds) {}

  private final Options o;
  private final Spec8 spec8 = new Spec8();
  private final List<ClosedLoop.Result> closed = new ArrayList<>();
  private Spec8.Lone lone;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<Seed> seeds = new ArrayList<>();
  private final List<Scenario> scenarios = new ArrayList<>();
  private final List<RawLimits.Figure> raw = new ArrayList<>();
  private final List<OpenLoop.Result> rawOpen = new ArrayList<>();
  private final List<Drain> drains = new ArrayList<>();
  private final List<Memory> memory = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private OpenLoop.Result e2eSubmits;
  private Histogram e2e;
  private int e2eUnobserved;
  private double e2eRate;

  Report(Options o) {
    this.o = o;
  }

  void environment(Map<String, String> machine, String postgres, String redis) {
    env.putAll(machine);
    env.put("PostgreSQL", postgres);
    env.put("Redis", redis);
    env.put("load average at start (1/5/15 min)", loadAverage());
  }

  /** Other work on the box skews every figure: the report says how busy it was. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " / " + f[1] + " / " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  void seed(String what, long rows, double seconds) {
    seeds.add(new Seed(what, rows, seconds));
    LoadRun.log("seed %s: %d in %.1f s", what, rows, seconds);
  }

  void scenario(OpenLoop.Result r, double p99TargetMs, String target) {
    scenarios.add(new Scenario(r, p99TargetMs, target));
    spec8.open.put(r.name(), r);
  }

  /** The targets' inputs: LoadRun fills them in as it measures. */
  Spec8 spec8() {
    return spec8;
  }

  void closed(ClosedLoop.Result r) {
    closed.add(r);
  }

  void lone(Spec8.Lone l) {
    lone = l;
  }

  private Map<String, double[]> lonePhases = Map.of();

  private AwardFloor.Result loneFloor;

  void loneFloor(AwardFloor.Result floor) {
    loneFloor = floor;
  }

  void lonePhases(Map<String, double[]> phases) {
    lonePhases = phases;
    phases.forEach((p, v) -> LoadRun.log("  phase %-14s %6.0f x %.3f ms", p, v[0], v[1]));
  }

  void raw(RawLimits.Figure f) {
    raw.add(f);
    LoadRun.log("  raw %s: %.0f/s p50 %.3f p99 %.3f ms", f.name(), f.perSecond(), f.p50(), f.p99());
  }

  void rawOpen(OpenLoop.Result r) {
    rawOpen.add(r);
    LoadRun.log("  raw %s", summary(r));
  }

  void endToEnd(OpenLoop.Result submits, Histogram h, int unobserved, double rate) {
    e2eSubmits = submits;
    e2e = h;
    e2eUnobserved = unobserved;
    e2eRate = rate;
  }

  void drain(
      int badges,
      int tasks,
      long processed,
      double seconds,
      long maxQueue,
      double statements,
      double dbMs,
      double xacts,
      List<Statement> top) {
    drains.add(
        new Drain(badges, tasks, processed, seconds, maxQueue, statements, dbMs, xacts, top));
  }

  void memory(String who, long pid, boolean alive, boolean oom, String heap, String hwm) {
    memory.add(new Memory(who, pid, alive, oom, heap, hwm));
  }

  void note(String note) {
    notes.add(note);
    LoadRun.log("note: %s", note);
  }

  static String summary(OpenLoop.Result r) {
    return String.format(
        Locale.ROOT,
        "%s: %.0f/s achieved (target %.0f), ok %d, errors %d, unsent %d, "
            + "p50 %.2f p99 %.2f p99.9 %.2f max %.2f ms %s%s",
        r.name(),
        r.achievedRate(),
        r.targetRate(),
        r.ok(),
        r.errors(),
        r.unsent(),
        r.p(50),
        r.p(99),
        r.p(99.9),
        r.maxMillis(),
        r.statuses(),
        r.firstError() == null ? "" : " first error: " + r.firstError());
  }

  Path write() throws IOException {
    env.put("load average at end (1/5/15 min)", loadAverage());
    var md = new StringBuilder();
    md.append("# SkillQuest benchmark results\n\n");
    md.append("Taken ")
        .append(ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append(" by `bench/run.sh")
        .append(o.quick() ? " --quick" : "")
        .append("` against ")
        .append(o.baseUrl())
        .append(". ")
        .append(o.duration().toSeconds())
        .append(" s per scenario after ")
        .append(o.warmup().toSeconds())
        .append(" s warm-up at the same rate; fixed arrival rate (open model), ")
        .append(
            o.rateScale() == 1
                ? ""
                : "**rates scaled by " + o.rateScale() + " (BENCH_RATE_SCALE)**, ")
        .append("latency measured from each request's scheduled send time.\n\n");
    md.append("| machine | |\n|---|---|\n");
    env.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    md.append(
        "\nPostgreSQL, Redis, the server, the worker and this load generator all share the same cores.\n");

    md.append("\n## Targets (SPEC 8): each a ratio to a limit measured in this run\n\n");
    md.append(spec8.markdown());
    if (!closed.isEmpty()) {
      md.append(
              "\n## Closed loop (N connections, each sends when answered; ceiling throughput)\n\n")
          .append("| path | connections | req/s | ok | errors | p50 ms | p99 ms | statuses |\n")
          .append("|---|---:|---:|---:|---:|---:|---:|---|\n");
      for (var r : closed) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %s | %d | %.0f | %d | %d | %s | %s | %s |%n",
                r.name(),
                r.connections(),
                r.perSecond(),
                r.ok(),
                r.errors(),
                ms(r.p(50)),
                ms(r.p(99)),
                r.statuses()));
      }
    }
    if (lone != null) {
      md.append(
              "\n## One award at a time (sequential submits, one every 50 ms, worker idle between)\n\n")
          .append(
              String.format(
                  Locale.ROOT,
                  "After a warm-up of lone awards back to back, and submits back to back (not waiting for"
                      + " their awards: p50 %s / p99 %s ms): %d submits: submit p50 %s / p99 %s ms; submit -> on the board p50 %s / p99 %s ms; "
                      + "submitted_at (PostgreSQL's clock) -> on the board p50 %s / p99 %s ms; the worker's own "
                      + "lag timer (submitted_at -> committed) p50 in the bucket <= %s ms over %d awards; %d not seen within 5 s.%n",
                  ms(lone.sequentialSubmitP50()),
                  ms(lone.sequentialSubmitP99()),
                  lone.samples(),
                  ms(lone.submitP50()),
                  ms(lone.submitP99()),
                  ms(lone.boardP50()),
                  ms(lone.boardP99()),
                  ms(lone.awardP50()),
                  ms(lone.awardP99()),
                  ms(lone.workerLagP50()),
                  lone.workerLagCount(),
                  lone.unobserved()));
      if (loneFloor != null) {
        md.append(
            String.format(
                Locale.ROOT,
                "%nThe chain's floor, measured next: the same dependent steps with one-row statements"
                    + " and nothing else (%s), at the same pace: %d samples, p50 %s / p99 %s ms.%n",
                AwardFloor.STEPS,
                loneFloor.samples(),
                ms(loneFloor.p50()),
                ms(loneFloor.p99())));
      }
      if (!lonePhases.isEmpty()) {
        md.append(
                "\nWhere a lone award's time goes (the worker's `skillquest.worker.award.phase` timers over")
            .append(
                " this scenario; `queued` per task, from submitted_at until the worker took it, the rest per")
            .append(
                " batch transaction, in order):\n\n| phase | count | mean ms |\n|---|---:|---:|\n");
        double total = 0;
        for (var e : lonePhases.entrySet()) {
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %.0f | %.3f |%n",
                  e.getKey(),
                  e.getValue()[0],
                  e.getValue()[1]));
          total += e.getValue()[1];
        }
        md.append(String.format(Locale.ROOT, "| **sum of means** | | **%.3f** |%n", total));
      }
      if (!loneStatements.isEmpty()) {
        md.append(
                "\nStatements the application ran meanwhile (pg_stat_statements, server and worker; ")
            .append(
                "planning time tracked):\n\n| calls | mean exec ms | mean plan ms | statement |\n")
            .append("|---:|---:|---:|---|\n");
        for (var st : loneStatements) {
          String q = st.query().length() > 140 ? st.query().substring(0, 140) + "..." : st.query();
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %.0f | %.3f | %.3f | `%s` |%n",
                  st.callsPerAward(),
                  st.msPerAward(),
                  st.planMs(),
                  q.replace("|", "\\|")));
        }
      }
    }

    md.append("\n## HTTP scenarios (open model)\n\n")
        .append(
            "| scenario | rate /s | achieved /s | ok | errors | unsent | p50 ms | p99 ms | p99.9 ms | max ms | statuses |\n")
        .append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (var s : scenarios) {
      var r = s.result();
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.0f | %.0f | %d | %d | %d | %s | %s | %s | %s | %s |%n",
              r.name(),
              r.targetRate(),
              r.achievedRate(),
              r.ok(),
              r.errors(),
              r.unsent(),
              ms(r.p(50)),
              ms(r.p(99)),
              ms(r.p(99.9)),
              ms(r.maxMillis()),
              r.statuses()));
    }
    for (var s : scenarios) {
      if (s.result().firstError() != null) {
        md.append("\n- ")
            .append(s.result().name())
            .append(" first error: `")
            .append(s.result().firstError())
            .append('`');
      }
    }

    md.append("\n\n## Award pipeline\n\n");
    if (e2e != null) {
      md.append(
          String.format(
              Locale.ROOT,
              "Submit → leaderboard shows the new XP (ZSCORE polled every ~0.2 ms), "
                  + "%.0f submits/s: **p50 %s ms, p99 %s ms, p99.9 %s ms, max %s ms** over %d awards (%d not seen within 10 s; "
                  + "submit HTTP p99 %s ms, errors %d).%n%n",
              e2eRate,
              ms(e2e.getValueAtPercentile(50) / 1000.0),
              ms(e2e.getValueAtPercentile(99) / 1000.0),
              ms(e2e.getValueAtPercentile(99.9) / 1000.0),
              ms(e2e.getMaxValue() / 1000.0),
              e2e.getTotalCount(),
              e2eUnobserved,
              ms(e2eSubmits.p(99)),
              e2eSubmits.errors()));
    }
    if (!drains.isEmpty()) {
      md.append(
              "One worker draining a deep queue (tasks pushed in one pipeline; users at 0 XP with no attempts, a fresh set per row; random challenges and scores):\n\n")
          .append(
              "| badges | tasks | processed | seconds | awards/s | ms/award | SQL statements/award | DB exec ms/award | award transactions/award | statements/transaction (≈) |\n")
          .append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
      for (var d : drains) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %d | %d | %.2f | %.0f | %.3f | %s | %s | %s | %s |%n",
                d.badges(),
                d.tasks(),
                d.processed(),
                d.seconds(),
                d.processed() / d.seconds(),
                1000.0 * d.seconds() / Math.max(1, d.processed()),
                num(d.statements(), 2),
                num(d.dbMs(), 3),
                num(d.xacts(), 3),
                num(d.perTransaction(), 1)));
      }
      var last = drains.get(drains.size() - 1);
      if (!last.top().isEmpty()) {
        md.append("\nStatements the application role ran per award at ")
            .append(last.badges())
            .append(
                " badges (pg_stat_statements, top by DB time):\n\n| calls/award | DB ms/award | statement |\n|---:|---:|---|\n");
        for (var s : last.top()) {
          String q = s.query().length() > 160 ? s.query().substring(0, 157) + "..." : s.query();
          md.append(
              String.format(
                  Locale.ROOT,
                  "| %.2f | %.4f | `%s` |%n",
                  s.callsPerAward(),
                  s.msPerAward(),
                  q.replace("|", "\\|").replace("`", "'")));
        }
      }
    }

    md.append(
        "\n## Raw limits of this machine (same run)\n\n| figure | model | /s | p50 ms | p99 ms | p99.9 ms | note |\n|---|---|---:|---:|---:|---:|---|\n");
    for (var f : raw) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %.0f | %s | %s | %s | %s |%n",
              f.name(),
              f.model(),
              f.perSecond(),
              ms(f.p50()),
              ms(f.p99()),
              ms(f.p999()),
              f.note()));
    }
    for (var r : rawOpen) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s (Jedis) | open | %.0f | %s | %s | %s | errors %d |%n",
              r.name(),
              r.achievedRate(),
              ms(r.p(50)),
              ms(r.p(99)),
              ms(r.p(99.9)),
              r.errors()));
    }

    md.append(
        "\n## SkillQuest beside the raw limits\n\n| SkillQuest | value | raw limit | value | ratio |\n|---|---:|---|---:|---:|\n");
    ratios(md);

    if (!memory.isEmpty()) {
      md.append(
          "\n## Memory (-Xmx256m)\n\n| process | pid | alive at end | OutOfMemoryError in log | heap at end | peak RSS |\n|---|---:|---|---|---|---|\n");
      for (var m : memory) {
        md.append(
            String.format(
                "| %s | %d | %s | %s | %s | %s |%n",
                m.who(),
                m.pid(),
                m.alive() ? "yes" : "**no**",
                m.oom() ? "**yes**" : "no",
                m.heap(),
                m.hwm()));
      }
    }

    md.append("\n## Seeding\n\n| step | rows | seconds | rows/s |\n|---|---:|---:|---:|\n");
    for (var s : seeds) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %.1f | %.0f |%n",
              s.what(),
              s.rows(),
              s.seconds(),
              s.rows() / Math.max(1e-9, s.seconds())));
    }
    if (!notes.isEmpty()) {
      md.append("\n## Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    Files.createDirectories(o.results());
    Path out = o.results().resolve(o.reportName());
    Files.writeString(out, md);
    System.out.println();
    System.out.println(md);
    return out;
  }

  private void ratios(StringBuilder md) {
    var pgMax = rawFigure("pgbench insert+update, max");
    var pgRate = rawFigure("pgbench insert+update @1000/s");
    var zrange = rawFigure("redis-benchmark ZREVRANGE");
    var zrank = rawFigure("redis-benchmark ZREVRANK");
    var bcrypt = rawFigure("bcrypt");
    var openTop = rawOpen("redis ZREVRANGE");
    var openRank = rawOpen("redis ZREVRANK");
    var submit = scenario("submit attempt");
    var top = scenario("leaderboard top 10");
    var me = scenario("leaderboard/me");
    var login = scenario("login");
    if (submit != null && pgMax != null) {
      row(
          md,
          "submit achieved /s",
          submit.achievedRate(),
          "pgbench max tx/s",
          pgMax.perSecond(),
          true);
    }
    if (submit != null && pgRate != null) {
      row(
          md,
          "submit p99 ms @1,000/s",
          submit.p(99),
          "pgbench p99 ms @1,000/s (open)",
          pgRate.p99(),
          false);
    }
    var pgBeside = rawFigure("pgbench insert+update @1000/s, awards beside");
    if (submit != null && pgBeside != null) {
      row(
          md,
          "submit p99 ms @1,000/s",
          submit.p(99),
          "pgbench p99 ms @1,000/s, 1,000 awards/s beside",
          pgBeside.p99(),
          false);
    }
    if (top != null && zrange != null) {
      row(
          md,
          "top 10 achieved /s",
          top.achievedRate(),
          "redis-benchmark ZREVRANGE /s",
          zrange.perSecond(),
          true);
    }
    if (top != null && openTop != null) {
      row(
          md,
          "top 10 p99 ms @5,000/s",
          top.p(99),
          "ZREVRANGE p99 ms @5,000/s (open)",
          openTop.p(99),
          false);
    }
    if (me != null && zrank != null) {
      row(
          md,
          "/leaderboard/me achieved /s",
          me.achievedRate(),
          "redis-benchmark ZREVRANK /s",
          zrank.perSecond(),
          true);
    }
    if (me != null && openRank != null) {
      row(
          md,
          "/leaderboard/me p99 ms @5,000/s",
          me.p(99),
          "ZREVRANK+ZSCORE p99 ms @5,000/s (open)",
          openRank.p(99),
          false);
    }
    var pgOne = rawFigure("pgbench insert+update, 1 client");
    for (var d : drains) {
      if (pgMax != null) {
        row(
            md,
            "awards/s, " + d.badges() + " badges",
            d.processed() / d.seconds(),
            "pgbench max tx/s",
            pgMax.perSecond(),
            true);
      }
      if (pgOne != null) {
        row(
            md,
            "awards/s, " + d.badges() + " badges",
            d.processed() / d.seconds(),
            "pgbench 1-client tx/s (serial commits)",
            pgOne.perSecond(),
            true);
      }
    }
    if (login != null && bcrypt != null) {
      row(
          md,
          "login achieved /s (offered " + (long) login.targetRate() + ")",
          login.achievedRate(),
          "bcrypt verifies/s",
          bcrypt.perSecond(),
          true);
      row(md, "login p50 ms", login.p(50), "one bcrypt verify ms", bcrypt.p50(), false);
    }
  }

  private static void row(
      StringBuilder md, String a, double av, String b, double bv, boolean share) {
    String ratio =
        Double.isNaN(av) || Double.isNaN(bv) || bv == 0
            ? "-"
            : share
                ? String.format(Locale.ROOT, "%.1f%% of raw", 100 * av / bv)
                : String.format(Locale.ROOT, "%.1f× raw", av / bv);
    md.append(
        String.format(
            Locale.ROOT, "| %s | %s | %s | %s | %s |%n", a, num(av, 2), b, num(bv, 2), ratio));
  }

  private OpenLoop.Result scenario(String name) {
    return scenarios.stream()
        .map(Scenario::result)
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElse(null);
  }

  private RawLimits.Figure rawFigure(String prefix) {
    return raw.stream().filter(f -> f.name().startsWith(prefix)).findFirst().orElse(null);
  }

  private OpenLoop.Result rawOpen(String prefix) {
    return rawOpen.stream().filter(r -> r.name().startsWith(prefix)).findFirst().orElse(null);
  }

  private static String ms(double v) {
    return Double.isNaN(v)
        ? "-"
        : v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String num(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
