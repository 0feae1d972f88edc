package io.ledgerline.query;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The query side: projects events from Kafka into Elasticsearch and serves the read models. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class QuerySideApplication {

  public static void main(String[] args) {
    SpringApplication.run(QuerySideApplication.class, args);
  }
}
