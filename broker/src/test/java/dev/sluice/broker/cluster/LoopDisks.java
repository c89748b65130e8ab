package dev.sluice.broker.cluster;

import dev.sluice.broker.sqs.SluiceProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Power loss for the nodes of one {@link SluiceProcesses} cluster: every node keeps its data directory on an ext4
 * filesystem of its own, on a loop file, mounted {@code commit=600}, while the kernel is told not to write dirty pages
 * back on its own ({@code vm.dirty_writeback_centisecs=0}, {@code vm.dirty_expire_centisecs} an hour). So a page a node
 * wrote but did not fsync stays in memory, and the loop file holds what was fsynced (and what the kernel wrote back for
 * other reasons, as a disk might). {@link #powerLoss} freezes the nodes (SIGSTOP), copies each loop file as the crash
 * image, kills them, unmounts, checks the image with {@code e2fsck -fy} and mounts it in place: the nodes restart
 * ({@link SluiceProcesses#start}) on what a power cut would have left.
 *
 * <p>Needs root and e2fsprogs and mount; fails naming the package otherwise. The sysctls are machine-wide: they are
 * restored on {@link #close} and by a shutdown hook. Only one {@code LoopDisks} may live per machine at a time (the
 * fault suite's power-loss tests share one test class, so they never overlap).
 */
final class LoopDisks implements AutoCloseable {
    static final String DISK_SIZE = "512M";
    private static final Map<String, String> QUIET_WRITEBACK = Map.of("vm/dirty_writeback_centisecs", "0",
            "vm/dirty_expire_centisecs", "360000");

    private final SluiceProcesses cluster;
    private final Path root = Path.of("target", "fault-disks", UUID.randomUUID().toString()).toAbsolutePath();
    private final Map<String, String> savedSysctls = new LinkedHashMap<>();
    private final List<Path> mounted = new ArrayList<>();
    private final Thread cleanup = new Thread(this::restoreSysctls, "loop-disks-cleanup");

    private LoopDisks(SluiceProcesses cluster) {
        this.cluster = cluster;
    }

    /** Gives every node of {@code cluster} its own filesystem (before the nodes start) and quiets writeback. */
    static LoopDisks installOn(SluiceProcesses cluster) throws IOException {
        HostTools.requireRoot("power loss (loop devices, mounts, sysctls)");
        HostTools.require("mkfs.ext4", "e2fsprogs");
        HostTools.require("e2fsck", "e2fsprogs");
        HostTools.require("mount", "mount");
        HostTools.require("losetup", "mount");
        LoopDisks disks = new LoopDisks(cluster);
        Runtime.getRuntime().addShutdownHook(disks.cleanup);
        try {
            disks.quietWriteback();
            Files.createDirectories(disks.root);
            for (int node = 0; node < cluster.httpPorts.length; node++) {
                HostTools.run(List.of("truncate", "-s", DISK_SIZE, disks.image(node).toString()));
                HostTools.run(List.of("mkfs.ext4", "-q", "-F", disks.image(node).toString()));
                disks.mount(node);
                Files.createDirectories(disks.mountPoint(node).resolve("data"));
                cluster.placeDataDir(node, disks.mountPoint(node).resolve("data"));
            }
        } catch (IOException | RuntimeException | AssertionError failure) {
            disks.close();
            throw failure;
        }
        return disks;
    }

    /**
     * Cuts the power of {@code nodes} at one instant: freezes them all, takes every crash image, then kills them and
     * puts each image in place, checked and mounted. The caller restarts them.
     */
    void powerLoss(Collection<Integer> nodes) throws Exception {
        for (int node : nodes) {
            cluster.pause(node);
        }
        copyImages(nodes);
        killAndMountImages(nodes);
    }

    /**
     * For the checker's negative control: takes crash images of {@code nodes} now (frozen together for the copy) and
     * lets them run on; a later {@link #rollBack} restarts them from these images, losing whatever they wrote since.
     */
    void takeImages(Collection<Integer> nodes) throws Exception {
        for (int node : nodes) {
            cluster.pause(node);
        }
        try {
            copyImages(nodes);
        } finally {
            for (int node : nodes) {
                cluster.resume(node);
            }
        }
    }

    /** Kills {@code nodes} and puts the images {@link #takeImages} took in place: a disk that dropped acknowledged writes. */
    void rollBack(Collection<Integer> nodes) throws Exception {
        for (int node : nodes) {
            cluster.pause(node);
        }
        killAndMountImages(nodes);
    }

    private void copyImages(Collection<Integer> nodes) {
        for (int node : nodes) {
            HostTools.run(List.of("cp", "--sparse=always", image(node).toString(), crashImage(node).toString()));
        }
    }

    private void killAndMountImages(Collection<Integer> nodes) throws Exception {
        for (int node : nodes) {
            cluster.kill(node);
        }
        for (int node : nodes) {
            unmount(node);
            Files.move(crashImage(node), image(node), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // 1: errors corrected; 2: corrected, reboot advised (irrelevant to a file). From 4 on: left uncorrected.
            String fsck = HostTools.run(List.of("e2fsck", "-fy", image(node).toString()), 2);
            System.out.printf("power loss: n%d image checked: %s%n", node + 1, fsck.lines().reduce((a, b) -> b).orElse(""));
            mount(node);
        }
    }

    private Path image(int node) {
        return root.resolve("n" + (node + 1) + ".img");
    }

    private Path crashImage(int node) {
        return root.resolve("n" + (node + 1) + ".crash.img");
    }

    private Path mountPoint(int node) {
        return root.resolve("n" + (node + 1));
    }

    private void mount(int node) throws IOException {
        Files.createDirectories(mountPoint(node));
        HostTools.run(List.of("mount", "-t", "ext4", "-o", "loop,commit=600", image(node).toString(),
                mountPoint(node).toString()));
        mounted.add(mountPoint(node));
    }

    private void unmount(int node) throws InterruptedException {
        unmount(mountPoint(node));
    }

    private void unmount(Path mountPoint) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                // A loop device set up by mount -o loop is detached by umount.
                HostTools.run(List.of("umount", mountPoint.toString()));
                mounted.remove(mountPoint);
                return;
            } catch (AssertionError busy) {
                if (attempt == 10) {
                    throw busy;
                }
                Thread.sleep(500); // a killed JVM's files close a moment after waitFor returns
            }
        }
    }

    private void quietWriteback() throws IOException {
        for (var sysctl : QUIET_WRITEBACK.entrySet()) {
            Path file = Path.of("/proc/sys", sysctl.getKey());
            savedSysctls.put(sysctl.getKey(), Files.readString(file).trim());
            Files.writeString(file, sysctl.getValue());
        }
        System.out.println("power loss: sysctls were " + savedSysctls + ", now " + QUIET_WRITEBACK);
    }

    private synchronized void restoreSysctls() {
        savedSysctls.forEach((name, value) -> {
            try {
                Files.writeString(Path.of("/proc/sys", name), value);
            } catch (IOException e) {
                System.out.println("power loss: could not restore " + name + "=" + value + ": " + e);
            }
        });
        savedSysctls.clear();
    }

    /** Unmounts every disk (kill the nodes first), deletes the images and restores the sysctls. */
    @Override
    public void close() throws IOException {
        try {
            for (Path mountPoint : List.copyOf(mounted)) {
                try {
                    unmount(mountPoint);
                } catch (InterruptedException | AssertionError stillBusy) {
                    System.out.println("power loss: could not unmount " + mountPoint + ": " + stillBusy);
                }
            }
            if (mounted.isEmpty() && Files.exists(root)) {
                try (Stream<Path> paths = Files.walk(root)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        } finally {
            restoreSysctls();
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
    }
}
