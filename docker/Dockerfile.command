# roomgate command-side service. Build from the repository root:
#   docker build -f docker/Dockerfile.command -t roomgate-command .
FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -DskipTests -pl command-side -am package

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 roomgate
COPY --from=build /src/command-side/target/command-side-*-exec.jar /opt/roomgate/command.jar
USER 10001
EXPOSE 8080
# readiness: the database, and on a query node a view not in error (issue 19). Measured on 2 cores
# (BENCHMARKS.md, "Start-up to ready"): 8-11 s for a node started alone, 36-39 s when compose starts
# all four at once on an idle host, and 100-170 s on a busy one; the start period covers the last.
HEALTHCHECK --interval=10s --timeout=3s --start-period=180s --retries=3 \
    CMD curl -fs http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/roomgate/command.jar"]
