import Handlebars from 'handlebars';

/**
 * A page's Handlebars: its own instance with its partials, every template compiled strict (a name the view
 * lacks is an error, not an empty string) and with the built-in helpers only. Handlebars escapes every
 * `{{value}}`; the pages use no triple braces.
 */
export function pageTemplates(partials: Record<string, string>): <V>(source: string) => Handlebars.TemplateDelegate<V> {
  const handlebars = Handlebars.create();
  const options = { strict: true, knownHelpersOnly: true };
  for (const [name, source] of Object.entries(partials)) handlebars.registerPartial(name, handlebars.compile(source, options));
  return <V>(source: string) => handlebars.compile<V>(source, options);
}
