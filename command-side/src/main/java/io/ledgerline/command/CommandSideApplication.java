package io.ledgerline.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The command side: accepts commands over HTTP, appends events, publishes them to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CommandSideApplication {

  public static void main(String[] args) {
    SpringApplication.run(CommandSideApplication.class, args);
  }
}
