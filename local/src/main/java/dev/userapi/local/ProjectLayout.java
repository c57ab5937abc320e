package dev.userapi.local;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the local stack finds what it runs: the template, the events, the pinned cognito-local, the native library, the data. */
public record ProjectLayout(Path root) {
    /** The project folder: {@code -Duserapi.root}, else the nearest folder up from here that holds {@code template.yaml}. */
    public static Path findRoot() {
        String configured = System.getProperty("userapi.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isDirectory(dir.resolve("local"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new StartupException("template.yaml not found: run from the project folder (or pass -Duserapi.root=<folder>)");
    }

    public Path template() {
        return root.resolve("template.yaml");
    }

    public Path events() {
        return root.resolve("events");
    }

    public Path cognitoPackage() {
        return root.resolve("local").resolve("cognito");
    }

    public Path nativeLibraries() {
        return root.resolve("local").resolve("target").resolve("native");
    }

    /** Persistent data (git-ignored). */
    public Path data() {
        return root.resolve(".local");
    }
}
