/**
 * Styles are imported as strings (`?inline`) and added as `<style>` elements, so the build has
 * no separate .css file and the page looks the same from any static server, whatever MIME type
 * it gives unknown extensions.
 */
export function injectCss(css: string): void {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.append(style);
}
