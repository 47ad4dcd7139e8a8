package io.roomgate.app;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A whole embedded roomgate on a random port, on its own in-memory H2 database, with the test
 * keys of {@code application-test.yml}. Test classes that share this annotation share one
 * application context (and so one database): use fresh room names per test.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = RoomgateApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:roomgate-test;DB_CLOSE_DELAY=-1")
@ActiveProfiles("test")
// metrics are exported as in production (Spring Boot's tests turn exporters off by default): /actuator/prometheus exists
@org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability(tracing = false)
public @interface RoomgateTest {
}
