package dev.userapi.webhooks.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides where a webhook may be delivered (no SSRF): an {@code https} URL whose host resolves only to public
 * addresses, or, when the deployment allows it ({@code WebhookAllowLoopback}), plain {@code http} to a host resolving
 * only to loopback. The check resolves the host once and returns the address it checked ({@link Target#address()}):
 * the sender connects to that address and never resolves again, so a DNS answer that changes between the check and
 * the connection (rebinding) cannot move the request to another address. Redirects are never followed.
 *
 * <p>Not public: {@code 0.0.0.0/8}, {@code 10/8}, {@code 100.64/10} (CGNAT), {@code 127/8}, {@code 169.254/16} (link-local,
 * the instance metadata service), {@code 172.16/12}, {@code 192.0.0/24}, {@code 192.0.2/24}, {@code 192.168/16},
 * {@code 198.18/15}, {@code 198.51.100/24}, {@code 203.0.113/24}, {@code 224/4} (multicast), {@code 240/4} and the
 * broadcast address; {@code ::}, {@code ::1}, {@code fe80::/10}, {@code fec0::/10}, {@code fc00::/7}, {@code ff00::/8},
 * {@code 2001:db8::/32}, {@code 100::/64}, and IPv6 forms carrying an IPv4 address (mapped {@code ::ffff:0:0/96},
 * compatible {@code ::/96}, NAT64 {@code 64:ff9b::/96}, 6to4 {@code 2002::/16}, Teredo {@code 2001::/32}) judged by that
 * address, Teredo always refused.
 */
public final class AddressGuard {
    /** Resolves a host name to its addresses (the system resolver, or a fixed one in tests). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public static final Resolver SYSTEM_DNS = InetAddress::getAllByName;
    /** The longest a lookup may take when no smaller budget is given. */
    public static final Duration DNS_TIMEOUT = Duration.ofSeconds(5);
    /** Lookups run here so that a caller can stop waiting; daemon threads, created as needed, never block shutdown. */
    private static final ExecutorService LOOKUPS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "webhook-dns");
        thread.setDaemon(true);
        return thread;
    });
    public static final int MAX_URL_LENGTH = 2048;

    /** A checked destination: connect to {@code address}, present {@code host} (Host header, TLS SNI and certificate name). */
    public record Target(String host, int port, boolean tls, InetAddress address, String pathAndQuery) {
    }

    /** The URL may not be used: its text says why, in terms safe to show the administrator. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        public Refused(String message) {
            super(message);
        }
    }

    private final boolean allowLoopback;
    private final Resolver resolver;

    public AddressGuard(boolean allowLoopback, Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    /** Checks {@code url} now (resolving its host once, within {@link #DNS_TIMEOUT}) and returns where to connect. */
    public Target check(String url) throws Refused {
        return check(url, DNS_TIMEOUT);
    }

    /**
     * Checks {@code url} now, the DNS lookup given at most {@code budget} (the system resolver has no timeout of its
     * own: a slow name server would otherwise hold a delivery past its bound).
     */
    public Target check(String url, Duration budget) throws Refused {
        URI uri = parse(url);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean tls = scheme.equals("https");
        if (!tls && !(scheme.equals("http") && allowLoopback)) {
            throw new Refused("The URL must use https.");
        }
        InetAddress[] addresses = resolve(host, budget);
        if (addresses == null || addresses.length == 0) {
            throw new Refused("The URL's host does not resolve.");
        }
        for (InetAddress address : addresses) {
            if (tls ? !isPublic(address) : !isLoopback(address)) {
                throw new Refused(tls ? "The URL's host must resolve only to public addresses."
                        : "Plain http is allowed only to a loopback address.");
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) {
            path += "?" + uri.getRawQuery();
        }
        return new Target(host, port, tls, addresses[0], path);
    }

    private InetAddress[] resolve(String host, Duration budget) throws Refused {
        if (budget.isNegative() || budget.isZero()) {
            throw new Refused("The URL's host did not resolve in time.");
        }
        Future<InetAddress[]> lookup = LOOKUPS.submit(() -> resolver.resolve(host));
        try {
            return lookup.get(budget.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new Refused("The URL's host did not resolve in time.");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException) {
                throw new Refused("The URL's host does not resolve.");
            }
            throw new IllegalStateException("DNS lookup failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("The URL's host did not resolve in time.");
        }
    }

    private static URI parse(String url) throws Refused {
        if (url == null || url.isEmpty() || url.length() > MAX_URL_LENGTH) {
            throw new Refused("The URL must be an absolute https URL of at most " + MAX_URL_LENGTH + " characters.");
        }
        try {
            URI uri = new URI(url);
            if (!uri.isAbsolute() || uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty() || uri.getRawUserInfo() != null
                    || uri.getRawFragment() != null || (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535))) {
                throw new Refused("The URL must be an absolute https URL with a host, no credentials and no fragment.");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new Refused("The URL is not valid.");
        }
    }

    static boolean isLoopback(InetAddress address) {
        byte[] v4 = embeddedV4(address);
        if (v4 != null) {
            return (v4[0] & 0xff) == 127;
        }
        return address.isLoopbackAddress();
    }

    /** Whether a request to {@code address} reaches the public internet and nothing of ours. */
    public static boolean isPublic(InetAddress address) {
        if (address instanceof Inet4Address) {
            return publicV4(address.getAddress());
        }
        byte[] a = address.getAddress();
        if (address instanceof Inet6Address && ((Inet6Address) address).getScopeId() != 0) {
            return false;
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0x20 && b1 == 0x01 && a[2] == 0 && a[3] == 0) {
            return false; // Teredo 2001::/32
        }
        byte[] v4 = embeddedV4(address);
        if (v4 != null) {
            return publicV4(v4);
        }
        if (allZero(a, 0, 16)) {
            return false; // ::
        }
        if (b0 == 0xff || (b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0x80) || (b0 == 0xfe && (b1 & 0xc0) == 0xc0)) {
            return false; // multicast, unique local, link-local, site-local
        }
        if (b0 == 0x20 && b1 == 0x01 && (a[2] & 0xff) == 0x0d && (a[3] & 0xff) == 0xb8) {
            return false; // documentation 2001:db8::/32
        }
        if (b0 == 0x01 && b1 == 0 && allZero(a, 2, 8)) {
            return false; // discard 100::/64
        }
        return (b0 & 0xe0) == 0x20; // global unicast 2000::/3 only
    }

    /** The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), or null. */
    static byte[] embeddedV4(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != 16) {
            return null;
        }
        if (allZero(a, 0, 10) && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
            return Arrays.copyOfRange(a, 12, 16); // ::ffff:a.b.c.d
        }
        if (allZero(a, 0, 12) && !allZero(a, 12, 16) && !(allZero(a, 12, 15) && a[15] == 1)) {
            return Arrays.copyOfRange(a, 12, 16); // ::a.b.c.d (deprecated compatible form)
        }
        if ((a[0] & 0xff) == 0x00 && (a[1] & 0xff) == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b && allZero(a, 4, 12)) {
            return Arrays.copyOfRange(a, 12, 16); // NAT64 64:ff9b::/96
        }
        if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x02) {
            return Arrays.copyOfRange(a, 2, 6); // 6to4 2002:a.b.c.d::/48
        }
        return null;
    }

    static boolean publicV4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        int b2 = a[2] & 0xff;
        if (b0 == 0 || b0 == 10 || b0 == 127 || b0 >= 224) {
            return false; // this network, private, loopback, multicast, reserved and broadcast
        }
        if (b0 == 100 && (b1 & 0xc0) == 64) {
            return false; // CGNAT 100.64/10
        }
        if (b0 == 169 && b1 == 254) {
            return false; // link-local, metadata 169.254.169.254
        }
        if (b0 == 172 && (b1 & 0xf0) == 16) {
            return false;
        }
        if (b0 == 192 && b1 == 168) {
            return false;
        }
        if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2)) {
            return false; // IETF protocol assignments, TEST-NET-1
        }
        if (b0 == 198 && (b1 == 18 || b1 == 19)) {
            return false; // benchmarking
        }
        if (b0 == 198 && b1 == 51 && b2 == 100 || b0 == 203 && b1 == 0 && b2 == 113) {
            return false; // TEST-NET-2, TEST-NET-3
        }
        return true;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
