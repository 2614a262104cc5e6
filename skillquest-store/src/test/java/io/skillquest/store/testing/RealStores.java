package io.skillquest.store.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests real stores: {@code @ExtendWith(RealStores.class)} and a {@link StoreFixture}
 * parameter. A constructor parameter is one fixture for the whole test class; a parameter of a
 * {@code @BeforeEach} or test method is a fresh one for that test. Either way a database and Redis
 * prefix that no other fixture sees, closed when its scope ends. A class annotated {@link
 * OnRedisCluster} gets its Redis from a real Redis Cluster.
 */
public final class RealStores implements ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RealStores.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == StoreFixture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    var scope =
        parameter.getDeclaringExecutable() instanceof java.lang.reflect.Constructor
            ? classContext(context)
            : context;
    return scope
        .getStore(NAMESPACE)
        .computeIfAbsent(
            StoreFixture.class,
            type ->
                context.getRequiredTestClass().isAnnotationPresent(OnRedisCluster.class)
                    ? new StoreFixture(
                        TestStores.fresh().withRedisUrl(RedisClusterFixture.shared().url()))
                    : new StoreFixture(),
            StoreFixture.class);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    var c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c;
  }
}
