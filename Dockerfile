# syntax=docker/dockerfile:1
# Dispatch: one Spring Boot jar, built here and run as a non-root user.

FROM eclipse-temurin:17.0.19_10-jdk-noble AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
# The Maven repository (and the wrapper's Maven download) live in a BuildKit cache, not in a layer.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q package -DskipTests \
    && cp target/*.jar app.jar \
    && java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17.0.19_10-jre-noble
# curl only for the health check (not relied on from the base image).
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 dispatch \
    && useradd --system --uid 10001 --gid dispatch --home-dir /app --no-create-home \
               --shell /usr/sbin/nologin dispatch \
    && mkdir -p /app/logs /app/data \
    && chown dispatch:dispatch /app/logs /app/data
WORKDIR /app
# Least to most often changed, so a code change rebuilds only the last layer.
COPY --from=build /src/extracted/dependencies/ ./
COPY --from=build /src/extracted/spring-boot-loader/ ./
COPY --from=build /src/extracted/snapshot-dependencies/ ./
COPY --from=build /src/extracted/application/ ./
USER dispatch:dispatch
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "org.springframework.boot.loader.launch.JarLauncher"]
