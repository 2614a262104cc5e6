# One image for both processes: `docker run IMAGE server` or `docker run IMAGE worker`.
# Build stage compiles with the same Maven build CI runs; the runtime stage holds only a JRE and the two jars.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY skillquest-core/pom.xml skillquest-core/
COPY skillquest-store/pom.xml skillquest-store/
COPY skillquest-worker/pom.xml skillquest-worker/
COPY skillquest-server/pom.xml skillquest-server/
COPY sql sql
COPY skillquest-core/src skillquest-core/src
COPY skillquest-store/src skillquest-store/src
COPY skillquest-worker/src skillquest-worker/src
COPY skillquest-server/src skillquest-server/src
RUN mvn -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 skillquest \
 && useradd --system --uid 10001 --gid skillquest --home-dir /app --shell /usr/sbin/nologin skillquest
WORKDIR /app
COPY --from=build /src/skillquest-server/target/skillquest-server.jar /app/skillquest-server.jar
COPY --from=build /src/skillquest-worker/target/skillquest-worker.jar /app/skillquest-worker.jar
COPY docker/entrypoint.sh docker/healthcheck.sh /app/
RUN chmod 0755 /app/entrypoint.sh /app/healthcheck.sh
USER skillquest
# Containers are production: every setting must be given (no embedded database in an image).
# Metrics (server :9090, worker :9091) listen on the container's loopback only; to let a Prometheus
# on the same private network scrape them, set SKILLQUEST_MANAGEMENT_BIND / SKILLQUEST_WORKER_METRICS_BIND
# to 0.0.0.0 and do not publish those ports.
ENV SKILLQUEST_ENV=production \
    SKILLQUEST_PORT=8080 \
    SKILLQUEST_MANAGEMENT_PORT=9090 \
    SKILLQUEST_WORKER_METRICS_PORT=9091 \
    JAVA_OPTS="-Xmx256m -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=40s --retries=3 CMD ["/app/healthcheck.sh"]
ENTRYPOINT ["/app/entrypoint.sh"]
CMD ["server"]
