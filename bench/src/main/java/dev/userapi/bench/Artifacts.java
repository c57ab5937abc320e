package dev.userapi.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The SAM artifacts {@code scripts/sam/build-artifact.sh} built for the benchmark (the same script, and so the
 * same content, as {@code sam build}): a function is its classes plus {@code lib/*.jar}, a layer is
 * {@code java/lib/*.jar}.
 */
final class Artifacts {
    private static final Pattern SERVICE = Pattern.compile("^software/amazon/awssdk/services/([a-z0-9]+)/[^/]+Client\\.class$");
    private static final List<String> FORBIDDEN_PREFIXES = List.of("io/netty/", "org/apache/http/", "org/apache/hc/",
            "software/amazon/awssdk/http/apache", "software/amazon/awssdk/http/nio/netty");

    private final Path dir;

    Artifacts(Path dir) {
        this.dir = dir;
    }

    /** The built artifact of a CodeUri or ContentUri folder ({@code functions/authorizer}, {@code layers/core}). */
    Path of(String uri) {
        return require(dir.resolve(uri));
    }

    private static Path require(Path path) {
        if (!Files.isDirectory(path)) {
            throw new IllegalStateException(path + " is missing: run ./scripts/benchmark.sh, which builds the artifacts first");
        }
        return path;
    }

    /**
     * The classpath entries of a deployed function: its root, its lib/*.jar, then each layer's java/lib/*.jar
     * (the layers given by their ContentUri).
     */
    List<Path> classpath(String codeUri, List<String> layerUris) {
        List<Path> entries = new ArrayList<>();
        Path function = of(codeUri);
        entries.add(function);
        entries.addAll(jars(function.resolve("lib")));
        for (String layer : layerUris) {
            entries.addAll(jars(of(layer).resolve("java").resolve("lib")));
        }
        return entries;
    }

    static List<Path> jars(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long bytes(Path folder) {
        return files(folder).stream().mapToLong(p -> {
            try {
                return Files.size(p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).sum();
    }

    /** The size of the folder zipped (deflate), as it is uploaded to Lambda. */
    static long zippedBytes(Path folder) {
        CountingStream counter = new CountingStream();
        try (ZipOutputStream zip = new ZipOutputStream(counter)) {
            for (Path file : files(folder)) {
                zip.putNextEntry(new ZipEntry(folder.relativize(file).toString()));
                Files.copy(file, zip);
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    /** The AWS SDK service clients (e.g. {@code dynamodb}) whose client interface is somewhere in {@code entries}. */
    static Set<String> sdkServiceClients(List<Path> entries) {
        Set<String> services = new TreeSet<>();
        forEachClassName(entries, name -> {
            Matcher m = SERVICE.matcher(name);
            if (m.matches()) {
                services.add(m.group(1));
            }
        });
        return services;
    }

    /** Netty or Apache HTTP client classes in {@code entries} (the first few). */
    static Set<String> forbiddenHttpClients(List<Path> entries) {
        Set<String> found = new TreeSet<>();
        forEachClassName(entries, name -> {
            for (String prefix : FORBIDDEN_PREFIXES) {
                if (name.startsWith(prefix) && found.size() < 5) {
                    found.add(name);
                }
            }
        });
        return found;
    }

    private static void forEachClassName(List<Path> entries, java.util.function.Consumer<String> action) {
        for (Path entry : entries) {
            if (Files.isDirectory(entry)) {
                for (Path file : files(entry)) {
                    String relative = entry.relativize(file).toString().replace('\\', '/');
                    if (relative.endsWith(".jar")) {
                        forEachClassName(List.of(file), action);
                    } else {
                        action.accept(relative);
                    }
                }
            } else if (entry.toString().endsWith(".jar")) {
                try (ZipFile zip = new ZipFile(entry.toFile())) {
                    Enumeration<? extends ZipEntry> all = zip.entries();
                    while (all.hasMoreElements()) {
                        action.accept(all.nextElement().getName());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
