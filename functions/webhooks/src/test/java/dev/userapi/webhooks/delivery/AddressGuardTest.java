package dev.userapi.webhooks.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** SECURITY.md item 34 (no SSRF): the address rules on fixed answers; no test here resolves a real name. */
class AddressGuardTest {
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A resolver with fixed answers per host; each host's answers are used in turn (the last one repeats). */
    private static final class FixedDns implements AddressGuard.Resolver {
        private final Map<String, Deque<String>> answers;
        int lookups;

        FixedDns(Map<String, List<String>> answers) {
            this.answers = new java.util.HashMap<>();
            answers.forEach((host, list) -> this.answers.put(host, new ArrayDeque<>(list)));
        }

        @Override
        public InetAddress[] resolve(String host) throws UnknownHostException {
            lookups++;
            Deque<String> list = answers.get(host);
            if (list == null) {
                if (host.matches("[0-9.]+") || host.contains(":")) {
                    return new InetAddress[] {ip(host)};
                }
                throw new UnknownHostException(host);
            }
            String answer = list.size() > 1 ? list.poll() : list.peek();
            return java.util.Arrays.stream(answer.split(",")).map(AddressGuardTest::ip).toArray(InetAddress[]::new);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "0.1.2.3", "10.0.0.1", "10.255.255.255", "100.64.0.1", "100.127.255.254", "127.0.0.1", "127.8.8.8",
        "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1",
        "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
        "::", "::1", "fe80::1", "fec0::1", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1", "100::1",
        "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1",
        "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"})
    void e34_notPublic(String literal) {
        assertThat(AddressGuard.isPublic(ip(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.1.1.1", "8.8.8.8", "93.184.215.14", "100.63.255.255", "100.128.0.1", "172.15.255.255", "172.32.0.1",
        "169.253.1.1", "192.169.0.1", "223.255.255.254", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8",
        "64:ff9b::808:808"})
    void e34_public(String literal) {
        assertThat(AddressGuard.isPublic(ip(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "https://localhost/hook", "https://127.0.0.1/",
        "https://[::1]/", "https://[::ffff:169.254.169.254]/", "https://10.0.0.1/", "https://internal.example/", "https://rebind.example/",
        "ftp://hooks.example.com/", "https://user:pw@hooks.example.com/", "https://hooks.example.com/#x", "hooks.example.com/x", "",
        "https://unknown.example/", "https://mixed.example/", "https://2130706433/", "http://hooks.example.com/"})
    void e34_refusedWithoutLoopback(String url) {
        AddressGuard guard = new AddressGuard(false, dns());
        assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(AddressGuard.Refused.class);
    }

    @Test
    void e34_httpsToAPublicAddress_isPinnedToTheAddressChecked() throws Exception {
        AddressGuard.Target target = new AddressGuard(false, dns()).check("https://hooks.example.com:8443/in?x=1");
        assertThat(target.address()).isEqualTo(ip("93.184.215.14"));
        assertThat(target.host()).isEqualTo("hooks.example.com");
        assertThat(target.port()).isEqualTo(8443);
        assertThat(target.tls()).isTrue();
        assertThat(target.pathAndQuery()).isEqualTo("/in?x=1");
    }

    @Test
    void e34_loopbackHttp_onlyWhenAllowed_andNeverAnythingElseOverHttp() throws Exception {
        AddressGuard allowing = new AddressGuard(true, dns());
        assertThat(allowing.check("http://127.0.0.1:9000/hook").address()).isEqualTo(ip("127.0.0.1"));
        assertThat(allowing.check("http://localhost:9000/hook").address()).isEqualTo(ip("127.0.0.1"));
        for (String url : List.of("http://10.0.0.1/", "http://169.254.169.254/", "http://hooks.example.com/", "https://localhost/",
                "http://[::ffff:10.0.0.1]/", "http://mixed-loopback.example/")) {
            assertThatThrownBy(() -> allowing.check(url)).as(url).isInstanceOf(AddressGuard.Refused.class);
        }
        assertThatThrownBy(() -> new AddressGuard(false, dns()).check("http://127.0.0.1:9000/hook")).isInstanceOf(AddressGuard.Refused.class);
    }

    @Test
    void e34_dnsRebinding_theAnswerAtDeliveryIsCheckedAgain_andOneLookupIsAllACheckMakes() throws Exception {
        // Public when registered, the metadata address when delivered: the second check refuses, and each check resolves once.
        FixedDns dns = new FixedDns(Map.of("flip.example", List.of("93.184.215.14", "169.254.169.254")));
        AddressGuard guard = new AddressGuard(false, dns);
        AddressGuard.Target registered = guard.check("https://flip.example/hook");
        assertThat(registered.address()).isEqualTo(ip("93.184.215.14"));
        assertThat(dns.lookups).isEqualTo(1);
        assertThatThrownBy(() -> guard.check("https://flip.example/hook")).isInstanceOf(AddressGuard.Refused.class);
        assertThat(dns.lookups).isEqualTo(2);
    }

    private static FixedDns dns() {
        return new FixedDns(Map.of(
                "hooks.example.com", List.of("93.184.215.14"),
                "localhost", List.of("127.0.0.1"),
                "internal.example", List.of("10.1.2.3"),
                "rebind.example", List.of("127.0.0.1"),
                "mixed.example", List.of("93.184.215.14,10.0.0.1"),
                "mixed-loopback.example", List.of("127.0.0.1,10.0.0.1")));
    }
}
