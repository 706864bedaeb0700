/**
 * Keeps a map out of the keyboard's Tab order: its container, zoom buttons, attribution links and
 * markers get tabindex=-1, now and whenever Leaflet adds more (a tile layer's attribution, new
 * markers). Taps and clicks still work; keyboard and screen-reader users get the same facts from the
 * lists beside the map, so the map is aria-hidden and must hold nothing focusable (WCAG 4.1.2).
 * Returns the function that stops watching.
 */
export function keepOutOfTabOrder(box: HTMLElement): () => void {
  const sweep = () => {
    if (box.getAttribute("tabindex") !== "-1") box.setAttribute("tabindex", "-1");
    // Only what is not -1 yet: setting an attribute to its own value is still a mutation, and the
    // observer below would call this again for ever (the phone's page hung when a task arrived).
    for (const el of box.querySelectorAll<HTMLElement>("a[href], button, input, [tabindex]"))
      if (el.getAttribute("tabindex") !== "-1") el.setAttribute("tabindex", "-1");
  };
  sweep();
  const watch = new MutationObserver(sweep);
  watch.observe(box, { childList: true, subtree: true, attributes: true, attributeFilter: ["tabindex", "href"] });
  return () => watch.disconnect();
}
