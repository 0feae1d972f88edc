package io.ledgerline.command.publishing;

/** Kafka did not acknowledge a batch of events; the publisher retries it. */
class KafkaPublishFailedException extends RuntimeException {

  KafkaPublishFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
