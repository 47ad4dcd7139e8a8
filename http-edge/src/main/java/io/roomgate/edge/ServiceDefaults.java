package io.roomgate.edge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.ResourcePropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * Adds every module's {@code roomgate-defaults/*.properties} (this module's {@code edge}, the event
 * store's {@code store}) as the lowest-priority property sources, so every service starts from the
 * same settings (Axon without Axon Server, Flyway-owned schema, Daily's strict JSON, probes) and
 * any of them can still be overridden.
 */
public class ServiceDefaults implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath*:roomgate-defaults/*.properties");
            Arrays.sort(files, Comparator.comparing(Resource::getFilename));
            for (Resource file : files) {
                environment.getPropertySources().addLast(new ResourcePropertySource("roomgate-defaults/" + file.getFilename(), file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
