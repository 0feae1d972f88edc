package io.ledgerline.query.projection;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import co.elastic.clients.json.JsonpMappingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class ReadStoreFailuresTest {

  @Test
  void anUnreachableOrSlowClusterPasses() {
    assertThat(ReadStoreFailures.isTransient(new ConnectException("Connection refused"))).isTrue();
    assertThat(ReadStoreFailures.isTransient(new SocketTimeoutException("30,000 ms"))).isTrue();
    assertThat(ReadStoreFailures.isTransient(new IOException("cannot read a-1: no shard")))
        .isTrue();
    assertThat(ReadStoreFailures.isTransient(new IllegalStateException("pool shut down"))).isTrue();
  }

  @Test
  void anOverloadedFailingOrRedClusterPasses() {
    for (int status : new int[] {429, 500, 502, 503, 504, 404, 408}) {
      assertThat(ReadStoreFailures.isTransient(rejected(status))).as("status %d", status).isTrue();
      assertThat(
              ReadStoreFailures.isTransient(new RejectedDocumentException("i", "d", status, "x")))
          .as("bulk item status %d", status)
          .isTrue();
    }
  }

  @Test
  void aMalformedDocumentOrRequestDoesNotPass() {
    assertThat(ReadStoreFailures.isTransient(rejected(400))).isFalse();
    assertThat(
            ReadStoreFailures.isTransient(
                new RejectedDocumentException("accounts-v1", "a-1", 400, "mapper_parsing")))
        .isFalse();
    assertThat(
            ReadStoreFailures.isTransient(
                new RuntimeException(new JsonpMappingException("bad", new IOException(), null))))
        .isFalse();
  }

  @Test
  void theCauseChainDecides() {
    assertThat(ReadStoreFailures.isTransient(new RuntimeException("wrapped", rejected(503))))
        .isTrue();
    assertThat(ReadStoreFailures.isTransient(new RuntimeException("wrapped", rejected(400))))
        .isFalse();
  }

  private static ElasticsearchException rejected(int status) {
    return new ElasticsearchException(
        "bulk",
        ErrorResponse.of(
            r -> r.status(status).error(ErrorCause.of(e -> e.type("t").reason("reason")))));
  }
}
