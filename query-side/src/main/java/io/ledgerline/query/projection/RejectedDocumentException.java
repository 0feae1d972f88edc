package io.ledgerline.query.projection;

/** Elasticsearch refused one document of a bulk write, with the item's status and reason. */
class RejectedDocumentException extends RuntimeException {

  private final String documentId;
  private final int status;

  RejectedDocumentException(String index, String documentId, int status, String reason) {
    super("bulk write of " + index + "/" + documentId + " failed (" + status + "): " + reason);
    this.documentId = documentId;
    this.status = status;
  }

  String documentId() {
    return documentId;
  }

  int status() {
    return status;
  }
}
