package dev.sluice.broker.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host commands the fault fixtures run (iptables, losetup, mkfs.ext4...): found on the PATH or failing with the
 * Debian package to install, and run with a bound. The fault suite installs nothing itself; {@code .ci/run} does.
 */
final class HostTools {
    private static final List<String> SEARCHED = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
            "/sbin", "/bin");
    private static final long BOUND_SECONDS = 120;

    private HostTools() {
    }

    /** Fails unless {@code command} is installed; {@code debianPackage} is named in the failure. */
    static void require(String command, String debianPackage) {
        for (String dir : SEARCHED) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return;
            }
        }
        throw new AssertionError("the fault suite needs `" + command + "`: install it (apt-get install -y " + debianPackage
                + "; .ci/run does)");
    }

    /** Fails unless this JVM runs as root (firewall rules, loop devices, mounts and sysctls need it). */
    static void requireRoot(String why) {
        String user = run(List.of("id", "-u")).trim();
        if (!user.equals("0")) {
            throw new AssertionError(why + " needs root; this test runs as uid " + user);
        }
    }

    /** Runs {@code command}, answers its output; fails with the output if it exits other than 0. */
    static String run(List<String> command) {
        return run(command, 0);
    }

    /** Runs {@code command}, answers its output; fails with the output if its exit code is above {@code maxExitCode}. */
    static String run(List<String> command, int maxExitCode) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            // Outputs here are short (a rule list, fsck's summary): read before waiting, so no pipe fills.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + BOUND_SECONDS + " s");
            }
            if (process.exitValue() > maxExitCode) {
                throw new AssertionError(String.join(" ", command) + " exited " + process.exitValue() + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new AssertionError(String.join(" ", command) + " could not run: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(String.join(" ", command) + " interrupted", e);
        }
    }
}
