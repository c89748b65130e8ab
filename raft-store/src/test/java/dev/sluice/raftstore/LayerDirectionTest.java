package dev.sluice.raftstore;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine SPI and the binary codecs are the contract domain engines compile against, so they stay
 * plain Java: they import the JDK and each other, never Ratis, RocksDB or the rest of raft-store.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LayerDirectionTest {

    @Test
    void theSpiAndTheCodecsImportOnlyTheJdkAndEachOther() {
        JavaClasses raftStore = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sluice.raftstore");
        classes().that().resideInAnyPackage("dev.sluice.raftstore.spi..", "dev.sluice.raftstore.codec..")
                .should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "dev.sluice.raftstore.spi..", "dev.sluice.raftstore.codec..")
                .check(raftStore);
    }
}
