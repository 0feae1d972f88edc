package io.ledgerline.infra.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The container image jib-maven-plugin builds of a module, read from the root {@code pom.xml}
 * (pluginManagement: base, name, user, JVM flags) and the module's own (skip, main class, ports).
 *
 * @param module the Maven module
 * @param reference the image it is tagged as, e.g. {@code ledgerline/command-side:0.1.0-SNAPSHOT}
 * @param user the user it runs as ({@code uid:gid})
 * @param ports the ports it exposes
 * @param mainClass the class it starts
 * @param skipped whether jib:buildTar skips the module
 */
record JibImage(
    String module,
    String reference,
    String user,
    List<Integer> ports,
    String mainClass,
    boolean skipped) {

  private static final String JIB = "jib-maven-plugin";
  private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");

  static JibImage of(Path repository, String module) {
    Element root = pom(repository.resolve("pom.xml"));
    Element modulePom = pom(repository.resolve(module).resolve("pom.xml"));
    Map<String, String> properties = new HashMap<>();
    Element rootProperties = child(root, "properties");
    if (rootProperties != null) {
      for (Element property : children(rootProperties)) {
        properties.put(property.getTagName(), property.getTextContent().trim());
      }
    }
    properties.put("project.version", text(root, "version"));
    properties.put("project.artifactId", text(modulePom, "artifactId"));

    Element managed = plugin(child(child(child(root, "build"), "pluginManagement"), "plugins"));
    Element own = plugin(child(child(modulePom, "build"), "plugins"));
    if (managed == null || own == null) {
      throw new IllegalStateException(
          "jib-maven-plugin must be in the root pom's pluginManagement and in "
              + module
              + "/pom.xml");
    }
    Element managedConfiguration = child(managed, "configuration");
    Element ownConfiguration = child(own, "configuration");
    String reference =
        resolve(pick(ownConfiguration, managedConfiguration, "to", "image"), properties);
    String user =
        resolve(pick(ownConfiguration, managedConfiguration, "container", "user"), properties);
    String mainClass = pick(ownConfiguration, managedConfiguration, "container", "mainClass");
    List<Integer> ports = new ArrayList<>();
    Element portList =
        child(child(ownConfiguration, "container"), "ports") != null
            ? child(child(ownConfiguration, "container"), "ports")
            : child(child(managedConfiguration, "container"), "ports");
    if (portList != null) {
      for (Element port : children(portList)) {
        ports.add(Integer.parseInt(resolve(port.getTextContent().trim(), properties)));
      }
    }
    String skip = pick(ownConfiguration, managedConfiguration, "skip");
    return new JibImage(module, reference, user, ports, mainClass, "true".equals(skip));
  }

  /** The version of the root pom.xml, which every module inherits. */
  static String projectVersion(Path repository) {
    return text(pom(repository.resolve("pom.xml")), "version");
  }

  /** The uid of {@link #user()}. */
  long uid() {
    return Long.parseLong(user.split(":")[0]);
  }

  private static String pick(Element own, Element managed, String... path) {
    String value = path(own, path);
    return value != null ? value : path(managed, path);
  }

  private static String path(Element element, String... path) {
    Element current = element;
    for (String name : path) {
      current = child(current, name);
    }
    return current == null ? null : current.getTextContent().trim();
  }

  private static String resolve(String value, Map<String, String> properties) {
    if (value == null) {
      return null;
    }
    String resolved = value;
    for (int round = 0; round < 5; round++) {
      Matcher matcher = PROPERTY.matcher(resolved);
      StringBuilder out = new StringBuilder();
      while (matcher.find()) {
        String replacement = properties.get(matcher.group(1));
        if (replacement == null) {
          throw new IllegalStateException(
              "unknown property ${" + matcher.group(1) + "} in " + value);
        }
        matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      matcher.appendTail(out);
      resolved = out.toString();
    }
    return resolved;
  }

  private static Element plugin(Element plugins) {
    if (plugins == null) {
      return null;
    }
    for (Element plugin : children(plugins)) {
      if (JIB.equals(text(plugin, "artifactId"))) {
        return plugin;
      }
    }
    return null;
  }

  private static Element pom(Path file) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Document document = factory.newDocumentBuilder().parse(file.toFile());
      return document.getDocumentElement();
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }

  private static String text(Element element, String name) {
    Element child = child(element, name);
    return child == null ? null : child.getTextContent().trim();
  }

  private static Element child(Element element, String name) {
    if (element == null) {
      return null;
    }
    for (Element child : children(element)) {
      if (child.getTagName().equals(name)) {
        return child;
      }
    }
    return null;
  }

  private static List<Element> children(Element element) {
    List<Element> children = new ArrayList<>();
    NodeList nodes = element.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
        children.add((Element) nodes.item(i));
      }
    }
    return children;
  }
}
