package io.skillquest.bench.jmh;

import io.skillquest.bench.Fixtures;
import io.skillquest.core.badge.BadgeEvaluator;
import io.skillquest.core.badge.Condition;
import io.skillquest.core.badge.Conditions;
import io.skillquest.core.badge.Facts;
import io.skillquest.core.leaderboard.RankCodec;
import io.skillquest.core.queue.AwardTask;
import io.skillquest.core.xp.Level;
import io.skillquest.core.xp.XpRule;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure hot paths of skillquest-core, as the worker and server call them on every request or
 * award. Inputs vary per call (an index walks a table of inputs) so the JIT cannot fold a constant.
 * Defaults are short for a 2-core box; bench/jmh.sh can override them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class CoreBenchmarks {

  private static final int N = 1024;
  private final long[] xps = new long[N];
  private final int[] scores = new int[N];
  private final Instant[] instants = new Instant[N];
  private final RankCodec.Entry[] encoded = new RankCodec.Entry[N];
  private final AwardTask[] tasks = new AwardTask[N];
  private final String[] taskJson = new String[N];
  private int i;

  private Map<String, Object> nestedTree;

  @Setup
  public void setUp() {
    var r = new java.util.Random(42);
    var base = Instant.parse("2026-01-01T00:00:00Z");
    for (int k = 0; k < N; k++) {
      xps[k] = (long) (Math.pow(r.nextDouble(), 3) * 2_000_000);
      scores[k] = r.nextInt(101);
      instants[k] = base.plusSeconds(r.nextInt(30_000_000));
      encoded[k] = RankCodec.encode(k, xps[k], instants[k]);
      tasks[k] = new AwardTask(1 + r.nextInt(Integer.MAX_VALUE), instants[k]);
      taskJson[k] = tasks[k].toJson();
    }
    nestedTree = Fixtures.nestedConditionTree();
  }

  private int next() {
    return i = (i + 1) & (N - 1);
  }

  @Benchmark
  public Level levelOf() {
    return Level.of(xps[next()]);
  }

  @Benchmark
  public int xpRuleAward() {
    int k = next();
    return XpRule.award(1000, scores[k], (int) (xps[k] & 511));
  }

  @Benchmark
  public RankCodec.Entry rankCodecEncode() {
    int k = next();
    return RankCodec.encode(k, xps[k], instants[k]);
  }

  @Benchmark
  public long rankCodecDecode() {
    var e = encoded[next()];
    var s = RankCodec.decode(e.score(), e.member());
    return s.totalXp() + s.reachedAt().getEpochSecond() + s.userId();
  }

  @Benchmark
  public Condition conditionsParseNested() {
    return Conditions.parse(nestedTree);
  }

  @Benchmark
  public String awardTaskToJson() {
    return tasks[next()].toJson();
  }

  @Benchmark
  public AwardTask awardTaskParse() {
    return AwardTask.parse(taskJson[next()]);
  }

  /** BadgeEvaluator.earned over catalogues of 10, 100 and 1,000 badges of mixed types. */
  @State(Scope.Benchmark)
  public static class Catalogue {
    @org.openjdk.jmh.annotations.Param({"10", "100", "1000"})
    public int badges;

    public Map<Long, Condition> candidates;
    public Facts facts;

    @Setup
    public void setUp() {
      candidates = Fixtures.badges(badges, 7);
      facts = Fixtures.activeUser(11);
    }
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Set<Long> badgeEvaluatorEarned(Catalogue c) {
    return BadgeEvaluator.earned(c.candidates, c.facts);
  }
}
