package io.roomgate.query;

import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

/** Wires the query side: the join-eligibility view, the join check and the read API. */
@Configuration
@ComponentScan(basePackageClasses = QuerySideConfiguration.class)
public class QuerySideConfiguration {
}
