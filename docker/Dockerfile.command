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
# readiness: the database, and on a query node a view not in error (issue 19); nodes took 100-170 s
# to become ready on a busy 2-core host (15-19 s idle), hence the start period
HEALTHCHECK --interval=10s --timeout=3s --start-period=180s --retries=3 \
    CMD curl -fs http://localhost:8080/actuator/health/readiness || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/opt/roomgate/command.jar"]
