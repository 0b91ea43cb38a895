import type { CatalogCategory } from '../../api.ts';

/** "Apparel › T-shirts": a category with its parents, for a select or a table cell. */
export function categoryPath(categories: readonly CatalogCategory[], id: string | null): string {
  const byId = new Map(categories.map((c) => [c.id, c]));
  const names: string[] = [];
  for (
    let c = id ? byId.get(id) : undefined;
    c && names.length < 4;
    c = c.parentId ? byId.get(c.parentId) : undefined
  )
    names.unshift(c.name);
  return names.join(' › ');
}

/** Every category, each after its parent, in the shop's order: the options of a category select. */
export function categoryOptions(
  categories: readonly CatalogCategory[],
): Array<{ id: string; label: string }> {
  const out: Array<{ id: string; label: string }> = [];
  const visit = (parentId: string | null) => {
    for (const c of categories.filter((x) => x.parentId === parentId)) {
      out.push({ id: c.id, label: categoryPath(categories, c.id) });
      if (out.length <= categories.length) visit(c.id);
    }
  };
  visit(null);
  return out;
}
