package io.ledgerline.query.projection;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import java.io.IOException;
import java.io.InputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A read model's Elasticsearch index: a versioned physical index ({@code accounts-v1}) behind an
 * alias ({@code accounts}) that every reader and writer uses, so a rebuild can switch the alias to
 * a new version atomically.
 *
 * @param alias the name readers and writers use
 * @param firstIndex the physical index created when the alias does not exist yet
 * @param definitionResource classpath resource with the index's settings and explicit mapping
 */
public record ReadModelIndex(String alias, String firstIndex, String definitionResource) {

  private static final Logger log = LoggerFactory.getLogger(ReadModelIndex.class);

  /**
   * Creates the first index with its alias unless the alias exists. Safe to run from several
   * instances at once: losing the creation race is fine.
   */
  public void ensureExists(ElasticsearchClient client) throws IOException {
    if (client.indices().existsAlias(request -> request.name(alias)).value()) {
      return;
    }
    try (InputStream definition = getClass().getResourceAsStream(definitionResource)) {
      if (definition == null) {
        throw new IllegalStateException("missing index definition " + definitionResource);
      }
      client
          .indices()
          .create(
              request ->
                  request
                      .index(firstIndex)
                      .withJson(definition)
                      .aliases(alias, a -> a.isWriteIndex(true)));
      log.info("Created index {} behind alias {}", firstIndex, alias);
    } catch (ElasticsearchException e) {
      if (!"resource_already_exists_exception".equals(e.error().type())) {
        throw e;
      }
    }
  }
}
