package io.ledgerline.eventstore;

import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * An {@link EventStoreReader} on the service's data source: the command side's read-write pool
 * (whose transactions its reads join), the query side's read-only one. A service that defines its
 * own reader keeps it.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnSingleCandidate(DataSource.class)
public class EventStoreReaderAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  EventStoreReader eventStoreReader(DataSource dataSource) {
    return new EventStoreReader(dataSource);
  }
}
