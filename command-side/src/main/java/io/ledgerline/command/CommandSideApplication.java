package io.ledgerline.command;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The command side: accepts commands over HTTP, appends events, publishes them to Kafka. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class CommandSideApplication {

  public static void main(String[] args) {
    SpringApplication.run(CommandSideApplication.class, args);
  }
}
