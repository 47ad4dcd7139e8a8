package io.roomgate.app;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

import java.util.List;

/**
 * Every test application context that serves HTTP has an {@link Api} bean for the running app, and
 * the join tests' {@link io.roomgate.app.join.Steps} on it: a test says {@code @Autowired Api api;}
 * instead of building one from its port and database in a set-up method (issue 17: the set-up
 * block 46 test classes repeated). The beans are lazy, so they are made after the server has its
 * port. Registered in {@code META-INF/spring.factories}.
 */
public class ApiInEveryTestContext implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        return new Customizer();
    }

    private static final class Customizer implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration merged) {
            if (!(context instanceof ServletWebServerApplicationContext web)
                    || !(context.getBeanFactory() instanceof BeanDefinitionRegistry registry)) {
                return;
            }
            RootBeanDefinition api = new RootBeanDefinition(Api.class, () -> new Api(web.getWebServer().getPort(),
                    context.getBean(JdbcTemplate.class)));
            api.setLazyInit(true);
            registry.registerBeanDefinition("testApi", api);
            RootBeanDefinition steps = new RootBeanDefinition(io.roomgate.app.join.Steps.class,
                    () -> new io.roomgate.app.join.Steps(context.getBean(Api.class)));
            steps.setLazyInit(true);
            registry.registerBeanDefinition("testJoinSteps", steps);
        }

        // one customizer for every test class: it changes no context's identity, so contexts stay shared
        @Override
        public boolean equals(Object other) {
            return other instanceof Customizer;
        }

        @Override
        public int hashCode() {
            return Customizer.class.hashCode();
        }
    }
}
