package dev.slipway.build.exec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HostFilesTest {
    static final String HOST = "search example.org\nnameserver 127.0.0.53\nnameserver 10.0.0.2\noptions edns0\n";

    @Test
    void hostsNamesLocalhostAndTheHostname() {
        assertThat(HostFiles.hosts("box")).isEqualTo("127.0.0.1\tlocalhost box\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    }

    @Test
    void hostNetworkKeepsTheHostFile() {
        assertThat(HostFiles.resolvConf(HOST, Network.HOST)).isEqualTo(HOST);
    }

    @Test
    void ownNamespaceDropsLoopbackNameservers() {
        String out = HostFiles.resolvConf(HOST, Network.NONE);
        assertThat(HostFiles.nameservers(out)).containsExactly("10.0.0.2");
        assertThat(out).contains("search example.org").contains("options edns0");
    }

    @Test
    void defaultsReplaceOnlyLoopbackNameservers() {
        String out = HostFiles.resolvConf("nameserver 127.0.0.1\nnameserver ::1\n", Network.NONE);
        assertThat(HostFiles.nameservers(out)).containsExactly("8.8.8.8", "8.8.4.4", "2001:4860:4860::8888", "2001:4860:4860::8844");
    }

    @Test
    void nofileIsDockersUnlessTheHardLimitCannotBeRaised() {
        String limits = "Limit  Soft Limit Hard Limit Units\nMax open files            1024                 20000                files\n";
        assertThat(HostLimits.nofile("CapEff:\t000001fffeffffff\n", limits)).isEqualTo(20000);
        assertThat(HostLimits.nofile("CapEff:\t000001ffffffffff\n", limits)).isEqualTo(1048576);
    }
}
