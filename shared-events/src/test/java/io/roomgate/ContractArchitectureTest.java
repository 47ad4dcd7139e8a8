package io.roomgate;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import org.axonframework.serialization.Revision;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The contract between the sides (events, the join decision, the meeting-token format) is plain
 * Java: every service and the auditor's replay can use it without dragging in a web or event-store
 * framework. The one exception is Axon's {@code @Revision} on the events.
 */
@AnalyzeClasses(packages = "io.roomgate", importOptions = ImportOption.DoNotIncludeTests.class)
class ContractArchitectureTest {

    private static final String[] CONTRACT = {"io.roomgate.events..", "io.roomgate.access..", "io.roomgate.token.."};

    @ArchTest
    static final ArchRule the_contract_does_not_depend_on_spring_servlets_or_axon_beyond_revision =
            noClasses().that().resideInAnyPackage(CONTRACT)
                    .should().dependOnClassesThat(
                            resideInAnyPackage("org.springframework..", "jakarta.servlet..")
                                    .or(resideInAPackage("org.axonframework..")
                                            .and(not(equivalentTo(Revision.class))))
                                    .as("reside in org.springframework.., jakarta.servlet.. or "
                                            + "org.axonframework.. (other than @Revision)"));

    @ArchTest
    static final ArchRule the_contract_does_not_depend_on_the_platform_plumbing =
            noClasses().that().resideInAnyPackage(CONTRACT)
                    .should().dependOnClassesThat().resideInAnyPackage("io.roomgate.edge..", "io.roomgate.store..");
}
