package io.ledgerline.query.projection;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.JsonpMappingException;

/**
 * Tells a passing failure of the read store from a deterministic one. Elasticsearch down, slow,
 * overloaded (429), failing (5xx), without a primary shard (cluster red) or still missing an index
 * that start-up creates in the background will pass: such failures are retried without end and the
 * projection's position stays where it is. Only a request Elasticsearch rejects as malformed, or a
 * document the client cannot map, fails the same way every time.
 */
final class ReadStoreFailures {

  private ReadStoreFailures() {}

  /** Whether retrying the same write later can succeed. */
  static boolean isTransient(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof JsonpMappingException) {
        return false;
      }
      if (cause instanceof ElasticsearchException rejected) {
        return isTransientStatus(rejected.status());
      }
      if (cause instanceof RejectedDocumentException rejected) {
        return isTransientStatus(rejected.status());
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return true; // connection refused or reset, timeouts, a closing client: all pass
  }

  /** 404: an index not created yet; 408, 429 and 5xx: the cluster cannot take it now. */
  static boolean isTransientStatus(int status) {
    return status == 404 || status == 408 || status == 429 || status >= 500;
  }
}
