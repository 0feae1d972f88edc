package io.ledgerline.infra.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class ProbesTest {

  @Test
  void aPortIsFreeOnlyWhenNobodyListensOnIt() throws Exception {
    int port;
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      port = server.getLocalPort();
      assertThat(Probes.portOpen(port)).isTrue();
      assertThat(Probes.portFree(port)).isFalse();
    }
    assertThat(Probes.portOpen(port)).isFalse();
    assertThat(Probes.portFree(port)).isTrue();
  }
}
