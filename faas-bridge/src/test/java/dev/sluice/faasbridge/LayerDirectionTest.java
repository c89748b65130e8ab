package dev.sluice.faasbridge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The bridge's packages point one way: {@code api.http} → {@code service} → {@code store} → {@code core}
 * → {@code function}. The core is plain Java (no Vert.x, Ratis, RocksDB or Micrometer); the function
 * package is what handler authors see and depends on nothing of the bridge.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LayerDirectionTest {
    private static JavaClasses bridge;

    @BeforeAll
    static void importTheBridgesMainClasses() {
        bridge = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice.faasbridge");
    }

    @Test
    void coreUsesNoFrameworkAndNoLayerAboveIt() {
        noClasses().that().resideInAPackage("..faasbridge.core..").should().dependOnClassesThat()
                .resideInAnyPackage("io.vertx..", "org.apache.ratis..", "org.rocksdb..", "io.micrometer..",
                        "..faasbridge.service..", "..faasbridge.store..", "..faasbridge.api..")
                .check(bridge);
    }

    @Test
    void theFunctionInterfaceDependsOnNothingOfTheBridge() {
        noClasses().that().resideInAPackage("..faasbridge.function..").should().dependOnClassesThat()
                .resideInAnyPackage("..faasbridge.core..", "..faasbridge.service..", "..faasbridge.store..", "..faasbridge.api..")
                .check(bridge);
    }

    @Test
    void storeAndServiceUseNoApiPackage() {
        noClasses().that().resideInAnyPackage("..faasbridge.store..", "..faasbridge.service..").should().dependOnClassesThat()
                .resideInAPackage("..faasbridge.api..")
                .check(bridge);
    }

    @Test
    void theStoreDoesNotRunPollers() {
        noClasses().that().resideInAPackage("..faasbridge.store..").should().dependOnClassesThat()
                .resideInAnyPackage("..faasbridge.service..", "io.vertx..")
                .check(bridge);
    }
}
