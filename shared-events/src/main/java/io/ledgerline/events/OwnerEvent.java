package io.ledgerline.events;

/**
 * An event of an owner's personal data: a profile recorded, or the data erased. The aggregate id
 * (and Kafka key) is {@link #aggregateId(String)}, derived from the owner id so that it can never
 * collide with an account or transfer id.
 */
public sealed interface OwnerEvent permits OwnerProfileRecorded, OwnerPersonalDataErased {

  /** What every owner's aggregate id starts with. */
  String AGGREGATE_ID_PREFIX = "owner:";

  /** The owner (a customer's subject, as in {@link AccountOpened#ownerId()}). */
  String ownerId();

  /** The aggregate id of the owner {@code ownerId}: {@code owner:<ownerId>}. */
  static String aggregateId(String ownerId) {
    return AGGREGATE_ID_PREFIX + ownerId;
  }
}
