package dev.sluice.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker's packages point one way (STYLE.md, Layout): {@code api.http} → {@code api.<protocol>}
 * → {@code service} → {@code core}. The core is plain Java that any layer may use and that uses none
 * of them, nor Vert.x, Ratis or RocksDB; only {@code api.http} touches Vert.x on the SQS path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LayerDirectionTest {

    private static JavaClasses broker;

    @BeforeAll
    static void importTheBrokersMainClasses() {
        broker = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice.broker");
    }

    @Test
    void coreUsesNoVertxRatisOrRocksDb() {
        noClasses().that().resideInAPackage("..core..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "org.apache.ratis..", "org.rocksdb..")
                .check(broker);
    }

    @Test
    void coreUsesNoLayerAboveIt() {
        noClasses().that().resideInAPackage("..core..")
                .should().dependOnClassesThat().resideInAnyPackage("..api..", "..service..", "..statemachine..")
                .check(broker);
    }

    @Test
    void theSqsCodecsUseNoVertx() {
        noClasses().that().resideInAPackage("..api.sqs..")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .check(broker);
    }

    @Test
    void theRestOperationsUseNoVertx() {
        noClasses().that().resideInAPackage("..api.rest..")
                .should().dependOnClassesThat().resideInAPackage("io.vertx..")
                .check(broker);
    }

    @Test
    void theServiceLayerUsesNoApiPackage() {
        noClasses().that().resideInAPackage("..service..")
                .should().dependOnClassesThat().resideInAPackage("..api..")
                .check(broker);
    }

    @Test
    void theSignatureVerifierUsesNoVertxAndNoApiPackage() {
        noClasses().that().resideInAPackage("..broker.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "..api..")
                .check(broker);
    }

    @Test
    void theAccountsUseNoVertxAndNoApiPackage() {
        noClasses().that().resideInAPackage("..broker.accounts..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "..api..")
                .check(broker);
    }
}
