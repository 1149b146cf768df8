// The link chart drawing (Cytoscape.js). Data comes from the JSON endpoint, never from an
// inline script (the Content-Security-Policy forbids them). Selecting a node fetches its
// neighbours and adds them. The page's list view holds the same links for keyboard and
// screen-reader users; this drawing is an extra view of it.
import cytoscape from "../build/cytoscape/cytoscape.esm.min.js";

const box = document.getElementById("link-chart");

// GOV.UK colours: children blue, people red, places green, other entities grey.
const COLOURS = { child: "#1d70b8", subject: "#d4351c", location: "#00703c" };

function elementsFrom(graph, cy) {
  const added = [];
  for (const node of graph.nodes) {
    if (cy.getElementById(node.id).empty()) {
      added.push({ group: "nodes", data: node });
    }
  }
  for (const edge of graph.edges) {
    if (cy.getElementById(edge.id).empty()) {
      added.push({ group: "edges", data: edge });
    }
  }
  return added;
}

async function expand(cy, focus) {
  const query = new URLSearchParams(box.dataset.filters || "");
  query.set("focus", focus);
  const response = await fetch(`${box.dataset.src}?${query}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) {
    return;
  }
  const added = elementsFrom(await response.json(), cy);
  if (added.length) {
    cy.add(added);
    cy.layout({ name: "cose", animate: false, nodeDimensionsIncludeLabels: true }).run();
  }
}

if (box) {
  // Cytoscape adds an inline <style> for its container, which our CSP blocks, unless an
  // element with this id already exists. The one rule it wants (position: relative) is in
  // lantern.scss (.lantern-chart), so a marker is enough.
  if (!document.getElementById("__________cytoscape_stylesheet")) {
    const marker = document.createElement("meta");
    marker.id = "__________cytoscape_stylesheet";
    marker.name = "cytoscape-stylesheet";
    marker.content = "in lantern.css";
    document.head.appendChild(marker);
  }
  const cy = cytoscape({
    container: box,
    wheelSensitivity: 0.3,
    style: [
      {
        selector: "node",
        style: {
          label: "data(label)",
          "background-color": (n) => COLOURS[n.data("kind")] || "#505a5f",
          "font-size": 11,
          "text-wrap": "ellipsis",
          "text-max-width": 140,
          "text-valign": "bottom",
          "text-margin-y": 4,
          color: "#0b0c0c",
        },
      },
      { selector: `node#${CSS.escape(box.dataset.focus)}`, style: { "border-width": 4, "border-color": "#ffdd00" } },
      {
        selector: "edge",
        style: {
          width: 2,
          "line-color": "#b1b4b6",
          "line-style": (e) => (e.data("role") === "associated" ? "dashed" : "solid"),
          "curve-style": "bezier",
        },
      },
    ],
  });
  cy.on("tap", "node", (event) => expand(cy, event.target.id()));
  expand(cy, box.dataset.focus);
}
