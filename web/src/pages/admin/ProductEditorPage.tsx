import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import * as api from '../../api.ts';
import type { CatalogCategory, Product } from '../../api.ts';
import { PageHeader } from '../../components/Layout.tsx';
import { useToast } from '../../components/Toasts.tsx';
import {
  Button,
  ErrorState,
  Field,
  Loading,
  Notice,
  ProductImage,
  TableScroll,
} from '../../components/ui.tsx';
import { describeError, fieldErrors } from '../../lib/errors.ts';
import { amountForInput, currencyDecimals, money, SHOP_LOCALE } from '../../lib/format.ts';
import { useAsync, useTitle } from '../../lib/hooks.ts';
import { parseMoneyInput } from '../../lib/money-input.ts';
import { categoryOptions } from './catalog-shared.tsx';
import './ProductEditorPage.css';

type Variant = Product['variants'][number];
type Image = Product['images'][number];

const SKU = /^[A-Za-z0-9._-]{1,64}$/;

/** A typed price as the decimal amount the API takes, or the sentence that says what is wrong. */
function readPrice(
  text: string,
  currency: string,
): { ok: true; amount: number } | { ok: false; problem: string } {
  if (!text.trim()) return { ok: false, problem: 'Enter a price, like 19.99.' };
  const read = parseMoneyInput(text, currency, SHOP_LOCALE);
  if (!read.ok) return read;
  return { ok: true, amount: read.minor / 10 ** currencyDecimals(currency) };
}

function readWhole(text: string): number | null {
  const n = Number(text.trim() || '0');
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/** `/admin/products/new` and `/admin/products/:id`. */
export function ProductEditorPage() {
  const { id = 'new' } = useParams();
  const categories = useAsync((signal) => api.listCatalogCategories(signal), []);
  const all = categories.data?.items ?? [];
  // the shop's currency decides how many decimals a typed price may have
  const stats = useAsync((signal) => (id === 'new' ? api.getStats(signal) : Promise.resolve(null)), [id]);
  if (id !== 'new') return <EditProduct id={id} categories={all} />;
  if (stats.loading && !stats.data) return <Loading label="Loading…" />;
  if (!stats.data) return <ErrorState error={stats.error} onRetry={stats.reload} />;
  return <NewProduct categories={all} currency={stats.data.currency} />;
}

function CategorySelect({
  categories,
  value,
  onChange,
}: {
  categories: readonly CatalogCategory[];
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label="Category">
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid="product-category">
        <option value="">No category</option>
        {categoryOptions(categories).map((c) => (
          <option key={c.id} value={c.id}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/** Upload, reorder and remove: `onChange` gets the whole new list, in order. */
function ImagesEditor({
  images,
  name,
  onChange,
  busy,
}: {
  images: Image[];
  name: string;
  onChange: (images: Image[]) => Promise<void> | void;
  busy: boolean;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function upload(files: FileList | null) {
    const file = files?.[0];
    if (!file) return;
    setUploading(true);
    setError(null);
    try {
      const { url } = await api.uploadImage(file);
      await onChange([...images, { url, alt: name }]);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setUploading(false);
      if (input.current) input.current.value = '';
    }
  }

  const move = (from: number, to: number) => {
    const next = [...images];
    const [moved] = next.splice(from, 1);
    if (!moved) return;
    next.splice(to, 0, moved);
    void onChange(next);
  };

  return (
    <section className="card stack" aria-labelledby="images-title" data-testid="images-editor">
      <h2 id="images-title">Images</h2>
      {images.length === 0 ? (
        <p className="muted">No images yet. The first image is the one lists show.</p>
      ) : (
        <ol className="image-list">
          {images.map((image, i) => (
            <li key={`${image.url}-${i}`} className="image-item" data-testid="image-item">
              <img src={image.url} alt={image.alt} className="image-preview" />
              <span className="small">{i === 0 ? 'Main image' : `Image ${i + 1}`}</span>
              <span className="image-actions">
                <Button
                  variant="ghost"
                  className="btn-small"
                  disabled={i === 0 || busy}
                  onClick={() => move(i, i - 1)}
                >
                  ↑<span className="visually-hidden"> Move image {i + 1} earlier</span>
                </Button>
                <Button
                  variant="ghost"
                  className="btn-small"
                  disabled={i === images.length - 1 || busy}
                  onClick={() => move(i, i + 1)}
                >
                  ↓<span className="visually-hidden"> Move image {i + 1} later</span>
                </Button>
                <Button
                  variant="ghost"
                  className="btn-small"
                  disabled={busy}
                  onClick={() => void onChange(images.filter((_, j) => j !== i))}
                >
                  Remove<span className="visually-hidden"> image {i + 1}</span>
                </Button>
              </span>
            </li>
          ))}
        </ol>
      )}
      <div>
        <label className="btn btn-secondary upload-button">
          {uploading ? 'Uploading…' : 'Upload an image'}
          <input
            ref={input}
            type="file"
            accept="image/png,image/jpeg,image/webp"
            className="visually-hidden"
            onChange={(e) => void upload(e.target.files)}
            disabled={uploading || busy}
            data-testid="image-upload"
          />
        </label>
        <p className="hint">PNG, JPEG or WebP, up to 2 MB.</p>
      </div>
      <div aria-live="polite">{error && <Notice kind="error">{error}</Notice>}</div>
    </section>
  );
}

interface OptionDraft {
  name: string;
  values: string;
}

interface VariantDraft {
  key: string;
  options: Record<string, string>;
  sku: string;
  price: string;
  stock: string;
}

const splitValues = (text: string) => [
  ...new Set(
    text
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ),
];

/** Every combination of the options' values, in the options' order. */
function combinations(options: Array<{ name: string; values: string[] }>): Array<Record<string, string>> {
  return options.reduce<Array<Record<string, string>>>(
    (acc, o) => acc.flatMap((combo) => o.values.map((v) => ({ ...combo, [o.name]: v }))),
    [{}],
  );
}

function NewProduct({ categories, currency }: { categories: readonly CatalogCategory[]; currency: string }) {
  useTitle('New product');
  const navigate = useNavigate();
  const notify = useToast();
  const [form, setForm] = useState({
    sku: '',
    name: '',
    description: '',
    price: '',
    weight: '0',
    stock: '0',
  });
  const [categoryId, setCategoryId] = useState('');
  const [images, setImages] = useState<Image[]>([]);
  const [options, setOptions] = useState<OptionDraft[]>([]);
  const [variants, setVariants] = useState<Record<string, Partial<VariantDraft>>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [key]: e.target.value });

  const parsedOptions = options
    .map((o) => ({ name: o.name.trim(), values: splitValues(o.values) }))
    .filter((o) => o.name && o.values.length > 0);
  const rows: VariantDraft[] =
    parsedOptions.length === 0
      ? []
      : combinations(parsedOptions).map((combo) => {
          const key = parsedOptions.map((o) => combo[o.name]).join(' / ');
          const draft = variants[key] ?? {};
          const suffix = parsedOptions.map((o) =>
            (combo[o.name] ?? '').replace(/[^A-Za-z0-9]+/g, '').toUpperCase(),
          );
          return {
            key,
            options: combo,
            sku: draft.sku ?? [form.sku.trim(), ...suffix].filter(Boolean).join('-'),
            price: draft.price ?? form.price,
            stock: draft.stock ?? form.stock,
          };
        });
  const setRow = (key: string, field: 'sku' | 'price' | 'stock', value: string) =>
    setVariants({ ...variants, [key]: { ...variants[key], [field]: value } });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const problems: Record<string, string> = {};
    if (!SKU.test(form.sku.trim())) problems['sku'] = 'Letters, digits, dot, dash or underscore.';
    if (!form.name.trim()) problems['name'] = 'Enter a name.';
    const price = readPrice(form.price, currency);
    if (!price.ok && rows.length === 0) problems['price'] = price.problem;
    const weight = readWhole(form.weight);
    if (weight === null) problems['weightGrams'] = 'Enter a whole number of grams.';
    const stock = readWhole(form.stock);
    if (stock === null) problems['initialStock'] = 'Enter a whole number, 0 or more.';
    const variantBodies = rows.map((row) => {
      const p = readPrice(row.price, currency);
      const s = readWhole(row.stock);
      if (!SKU.test(row.sku.trim())) problems[`variant-${row.key}`] = `${row.key}: the SKU is not valid.`;
      else if (!p.ok) problems[`variant-${row.key}`] = `${row.key}: ${p.problem}`;
      else if (s === null) problems[`variant-${row.key}`] = `${row.key}: the stock must be a whole number.`;
      return {
        sku: row.sku.trim(),
        options: row.options,
        price: p.ok ? p.amount : 0,
        weightGrams: weight ?? 0,
        initialStock: s ?? 0,
      };
    });
    setErrors(problems);
    setFailure(null);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    try {
      const created = await api.createProduct({
        sku: form.sku.trim(),
        name: form.name.trim(),
        description: form.description.trim(),
        price: price.ok ? price.amount : (variantBodies[0]?.price ?? 0),
        categoryId: categoryId || null,
        images,
        ...(rows.length === 0
          ? { initialStock: stock ?? 0, weightGrams: weight ?? 0 }
          : { options: parsedOptions, variants: variantBodies }),
      });
      notify(`Created ${created.name}.`);
      navigate(`/admin/products/${created.id}`);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(describeError(err));
      setBusy(false);
    }
  }

  return (
    <>
      <PageHeader title="New product">
        <Link to="/admin/products">All products</Link>
      </PageHeader>
      <form className="stack product-editor" onSubmit={submit} noValidate data-testid="new-product-form">
        <section className="card stack" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <div className="form-grid">
            <Field label="Name" error={errors['name']} required>
              <input type="text" value={form.name} onChange={set('name')} data-testid="product-name" />
            </Field>
            <Field
              label="SKU"
              hint="The style number; each variant gets its own"
              error={errors['sku']}
              required
            >
              <input
                type="text"
                value={form.sku}
                onChange={set('sku')}
                spellCheck={false}
                autoComplete="off"
                data-testid="product-sku"
              />
            </Field>
            <Field
              label="Price"
              hint="With options, the starting price of each variant"
              error={errors['price']}
              required={rows.length === 0}
            >
              <input
                type="text"
                inputMode="decimal"
                value={form.price}
                onChange={set('price')}
                data-testid="product-price"
              />
            </Field>
            <CategorySelect categories={categories} value={categoryId} onChange={setCategoryId} />
            <Field label="Weight (grams)" error={errors['weightGrams']}>
              <input type="number" min={0} step={1} value={form.weight} onChange={set('weight')} />
            </Field>
            <Field label="Initial stock" hint="Per variant, with options" error={errors['initialStock']}>
              <input
                type="number"
                min={0}
                step={1}
                value={form.stock}
                onChange={set('stock')}
                data-testid="product-stock"
              />
            </Field>
            <Field label="Description" error={errors['description']} className="span-2">
              <textarea rows={3} value={form.description} onChange={set('description')} maxLength={5000} />
            </Field>
          </div>
        </section>

        <ImagesEditor images={images} name={form.name.trim()} onChange={setImages} busy={busy} />

        <section className="card stack" aria-labelledby="options-title" data-testid="options-editor">
          <h2 id="options-title">Options</h2>
          <p className="muted">Size, Colour… A variant is made for every combination of their values.</p>
          {options.map((o, i) => (
            <div className="form-grid option-row" key={i} data-testid="option-row">
              <Field label={`Option ${i + 1} name`}>
                <input
                  type="text"
                  value={o.name}
                  onChange={(e) =>
                    setOptions(options.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))
                  }
                  data-testid="option-name"
                />
              </Field>
              <Field label="Values" hint="Separated by commas: S, M, L">
                <input
                  type="text"
                  value={o.values}
                  onChange={(e) =>
                    setOptions(options.map((x, j) => (j === i ? { ...x, values: e.target.value } : x)))
                  }
                  data-testid="option-values"
                />
              </Field>
              <div>
                <Button
                  variant="ghost"
                  className="btn-small"
                  onClick={() => setOptions(options.filter((_, j) => j !== i))}
                >
                  Remove option {i + 1}
                </Button>
              </div>
            </div>
          ))}
          {options.length < 3 && (
            <div>
              <Button
                variant="secondary"
                onClick={() => setOptions([...options, { name: '', values: '' }])}
                data-testid="add-option"
              >
                Add an option
              </Button>
            </div>
          )}
          {rows.length > 0 && (
            <TableScroll label="Variants to create">
              <table className="table table-stack variants-table" data-testid="new-variants-table">
                <thead>
                  <tr>
                    <th scope="col">Variant</th>
                    <th scope="col">SKU</th>
                    <th scope="col">Price</th>
                    <th scope="col">Initial stock</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.key} data-testid="new-variant-row">
                      <th scope="row">
                        {row.key}
                        {errors[`variant-${row.key}`] && (
                          <p className="field-error" role="alert">
                            {errors[`variant-${row.key}`]}
                          </p>
                        )}
                      </th>
                      <td data-label="SKU">
                        <input
                          type="text"
                          aria-label={`SKU of ${row.key}`}
                          value={row.sku}
                          onChange={(e) => setRow(row.key, 'sku', e.target.value)}
                        />
                      </td>
                      <td data-label="Price">
                        <input
                          type="text"
                          inputMode="decimal"
                          aria-label={`Price of ${row.key}`}
                          value={row.price}
                          onChange={(e) => setRow(row.key, 'price', e.target.value)}
                        />
                      </td>
                      <td data-label="Initial stock">
                        <input
                          type="number"
                          min={0}
                          aria-label={`Initial stock of ${row.key}`}
                          value={row.stock}
                          onChange={(e) => setRow(row.key, 'stock', e.target.value)}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          )}
        </section>
        <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>
        <div>
          <Button type="submit" busy={busy} data-testid="create-product">
            Create product
          </Button>
        </div>
      </form>
    </>
  );
}

function EditProduct({ id, categories }: { id: string; categories: readonly CatalogCategory[] }) {
  const product = useAsync((signal) => api.getProduct(id, signal), [id]);
  useTitle(product.data ? `Edit ${product.data.name}` : 'Product');
  if (product.loading && !product.data) return <Loading label="Loading the product…" />;
  if (product.error || !product.data) return <ErrorState error={product.error} onRetry={product.reload} />;
  return (
    <ProductForms
      key={product.data.id}
      product={product.data}
      categories={categories}
      onChange={(p) => product.setData(p)}
      reload={product.reload}
    />
  );
}

function ProductForms({
  product,
  categories,
  onChange,
  reload,
}: {
  product: Product;
  categories: readonly CatalogCategory[];
  onChange: (product: Product) => void;
  reload: () => void;
}) {
  const notify = useToast();
  const [form, setForm] = useState({ name: product.name, description: product.description });
  const [categoryId, setCategoryId] = useState(product.categoryId ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState<'details' | 'images' | 'archive' | null>(null);

  async function save(kind: 'details' | 'images' | 'archive', body: api.ProductChanges, message: string) {
    setBusy(kind);
    setFailure(null);
    try {
      const saved = await api.updateProduct(product.id, body);
      onChange(saved);
      notify(message);
    } catch (err) {
      setErrors(fieldErrors(err));
      setFailure(describeError(err));
    } finally {
      setBusy(null);
    }
  }

  function submitDetails(e: FormEvent) {
    e.preventDefault();
    if (!form.name.trim()) {
      setErrors({ name: 'Enter a name.' });
      return;
    }
    setErrors({});
    void save(
      'details',
      { name: form.name.trim(), description: form.description.trim(), categoryId: categoryId || null },
      `Saved ${form.name.trim()}.`,
    );
  }

  return (
    <>
      <PageHeader title={product.name}>
        <Link to="/admin/products">All products</Link>
      </PageHeader>
      <div className="stack product-editor">
        <section className={`card archive-bar${product.active ? '' : ' archived'}`} data-testid="archive-bar">
          <div className="product-cell">
            <ProductImage name={product.name} sku={product.sku} imageUrl={product.imageUrl} size="thumb" />
            <p>
              <strong data-testid="product-status">{product.active ? 'On sale' : 'Archived'}</strong>
              <br />
              <span className="muted small">
                {product.sku} · from {money(product.price, product.currency)} · {product.available} available
              </span>
            </p>
          </div>
          <Button
            variant={product.active ? 'secondary' : 'primary'}
            busy={busy === 'archive'}
            data-testid="archive-toggle"
            onClick={() =>
              void save(
                'archive',
                { active: !product.active },
                product.active
                  ? `${product.name} is archived: it is no longer sold.`
                  : `${product.name} is on sale again.`,
              )
            }
          >
            {product.active ? 'Archive' : 'Unarchive'}
          </Button>
        </section>
        <div aria-live="polite">{failure && <Notice kind="error">{failure}</Notice>}</div>

        <form
          className="card stack"
          onSubmit={submitDetails}
          noValidate
          aria-labelledby="details-title"
          data-testid="details-form"
        >
          <h2 id="details-title">Details</h2>
          <div className="form-grid">
            <Field label="Name" error={errors['name']} required>
              <input
                type="text"
                value={form.name}
                onChange={(e) => setForm({ ...form, name: e.target.value })}
                data-testid="product-name"
              />
            </Field>
            <CategorySelect categories={categories} value={categoryId} onChange={setCategoryId} />
            <Field label="Description" error={errors['description']} className="span-2">
              <textarea
                rows={3}
                value={form.description}
                onChange={(e) => setForm({ ...form, description: e.target.value })}
                maxLength={5000}
              />
            </Field>
          </div>
          <div>
            <Button type="submit" busy={busy === 'details'} data-testid="save-details">
              Save details
            </Button>
          </div>
        </form>

        <ImagesEditor
          images={product.images}
          name={product.name}
          busy={busy === 'images'}
          onChange={(images) => save('images', { images }, 'Images saved.')}
        />

        <VariantsSection product={product} onChange={onChange} reload={reload} />
      </div>
    </>
  );
}

function VariantsSection({
  product,
  onChange,
  reload,
}: {
  product: Product;
  onChange: (product: Product) => void;
  reload: () => void;
}) {
  // on hand per variant: the product view says what is available, the stock list what is on the shelf
  const stock = useAsync((signal) => api.listInventory({ search: product.sku }, signal), [product]);
  const onHand = new Map((stock.data?.items ?? []).map((row) => [row.variantId, row.onHand]));
  const stockChanged = () => {
    reload();
    stock.reload();
  };
  return (
    <section className="card stack" aria-labelledby="variants-title" data-testid="variants-section">
      <h2 id="variants-title">Variants</h2>
      {product.options.length > 0 && (
        <ul className="option-summary">
          {product.options.map((o) => (
            <li key={o.name}>
              <strong>{o.name}:</strong> {o.values.join(', ')}
            </li>
          ))}
        </ul>
      )}
      <TableScroll label="Variants and their stock">
        <table className="table table-stack variants-table" data-testid="variants-table">
          <thead>
            <tr>
              <th scope="col">Variant</th>
              <th scope="col">Price, weight, tax</th>
              <th scope="col" className="num">
                On hand
              </th>
              <th scope="col" className="num">
                Available
              </th>
              <th scope="col">Stock</th>
            </tr>
          </thead>
          <tbody>
            {product.variants.map((v) => (
              <tr
                key={v.id}
                data-testid="variant-row"
                data-variant-id={v.id}
                data-sku={v.sku}
                className={v.active ? '' : 'row-archived'}
              >
                <th scope="row">
                  <span className="cell-title">{v.title || 'Default'}</span>
                  <span className="muted small"> {v.sku}</span>
                  {!v.active && <span className="badge badge-neutral">Not sold</span>}
                </th>
                <td data-label="Price, weight, tax">
                  <VariantForm variant={v} currency={product.currency} onSaved={onChange} />
                </td>
                <td className="num" data-label="On hand" data-testid="variant-on-hand">
                  {onHand.get(v.id) ?? '…'}
                </td>
                <td className="num" data-label="Available" data-testid="variant-available">
                  {v.available}
                </td>
                <td data-label="Stock">
                  <StockForm variant={v} onDone={stockChanged} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {product.options.length > 0 && <AddVariantForm product={product} onAdded={onChange} />}
    </section>
  );
}

function VariantForm({
  variant,
  currency,
  onSaved,
}: {
  variant: Variant;
  currency: string;
  onSaved: (p: Product) => void;
}) {
  const notify = useToast();
  const [price, setPrice] = useState(amountForInput(variant.price, currency));
  const [weight, setWeight] = useState(String(variant.weightGrams));
  const [tax, setTax] = useState(variant.taxCategory ?? '');
  const [active, setActive] = useState(variant.active);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = variant.title || variant.sku;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const p = readPrice(price, currency);
    const w = readWhole(weight);
    if (!p.ok) return setError(p.problem);
    if (w === null) return setError('Enter a whole number of grams.');
    setBusy(true);
    setError(null);
    try {
      const saved = await api.updateVariant(variant.id, {
        price: p.amount,
        weightGrams: w,
        taxCategory: tax.trim() || null,
        active,
      });
      onSaved(saved);
      notify(`${label}: saved.`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="variant-form" onSubmit={submit} noValidate data-testid="variant-form">
      <label>
        <span className="small">Price</span>
        <input
          type="text"
          inputMode="decimal"
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          aria-label={`Price of ${label}`}
          data-testid="variant-price"
        />
      </label>
      <label>
        <span className="small">Weight (g)</span>
        <input
          type="number"
          min={0}
          value={weight}
          onChange={(e) => setWeight(e.target.value)}
          aria-label={`Weight of ${label} in grams`}
        />
      </label>
      <label>
        <span className="small">Tax category</span>
        <input
          type="text"
          value={tax}
          placeholder="standard"
          onChange={(e) => setTax(e.target.value)}
          aria-label={`Tax category of ${label}`}
        />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={active} onChange={(e) => setActive(e.target.checked)} />
        Sold
      </label>
      <Button type="submit" variant="secondary" className="btn-small" busy={busy} data-testid="save-variant">
        Save<span className="visually-hidden"> {label}</span>
      </Button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function StockForm({ variant, onDone }: { variant: Variant; onDone: () => void }) {
  const notify = useToast();
  const [operation, setOperation] = useState<'add' | 'set'>('add');
  const [quantity, setQuantity] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = variant.title || variant.sku;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(quantity);
    if (!quantity.trim() || !Number.isInteger(n) || n < 0 || (operation === 'add' && n === 0)) {
      setError(operation === 'add' ? 'Enter a whole number above 0.' : 'Enter a whole number, 0 or more.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const level = await api.adjustStock(variant.id, { operation, quantity: n });
      setQuantity('');
      notify(`${label}: ${level.onHand} on hand, ${level.available} available.`);
      onDone();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="replenish" onSubmit={submit} noValidate data-testid="stock-form">
      <select
        value={operation}
        onChange={(e) => setOperation(e.target.value === 'set' ? 'set' : 'add')}
        aria-label={`Operation for ${label}`}
      >
        <option value="add">Add</option>
        <option value="set">Set on hand to</option>
      </select>
      <input
        type="number"
        inputMode="numeric"
        min={0}
        step={1}
        className="input-qty"
        value={quantity}
        onChange={(e) => setQuantity(e.target.value)}
        aria-label={`Quantity for ${label}`}
        data-testid="stock-quantity"
      />
      <Button type="submit" variant="secondary" className="btn-small" busy={busy}>
        Save<span className="visually-hidden"> stock of {label}</span>
      </Button>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

function AddVariantForm({ product, onAdded }: { product: Product; onAdded: (p: Product) => void }) {
  const notify = useToast();
  const [values, setValues] = useState<Record<string, string>>({});
  const [form, setForm] = useState({
    sku: '',
    price: amountForInput(product.price, product.currency),
    stock: '0',
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const missing = product.options.find((o) => !values[o.name]?.trim());
    if (missing) return setError(`Enter a value for ${missing.name}.`);
    if (!SKU.test(form.sku.trim()))
      return setError('The SKU takes letters, digits, dot, dash or underscore.');
    const p = readPrice(form.price, product.currency);
    if (!p.ok) return setError(p.problem);
    const stock = readWhole(form.stock);
    if (stock === null) return setError('The stock must be a whole number.');
    setBusy(true);
    setError(null);
    try {
      const options = Object.fromEntries(product.options.map((o) => [o.name, values[o.name]?.trim() ?? '']));
      const saved = await api.addVariant(product.id, {
        sku: form.sku.trim(),
        options,
        price: p.amount,
        initialStock: stock,
      });
      onAdded(saved);
      setValues({});
      setForm({ ...form, sku: '' });
      notify(`Added ${Object.values(options).join(' / ')}.`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="stack add-variant"
      onSubmit={submit}
      noValidate
      aria-labelledby="add-variant-title"
      data-testid="add-variant-form"
    >
      <h3 id="add-variant-title">Add a variant</h3>
      <p className="muted small">A value an option does not have yet is added to it.</p>
      <div className="form-grid">
        {product.options.map((o) => (
          <Field key={o.name} label={o.name}>
            <input
              type="text"
              list={`values-${o.name}`}
              value={values[o.name] ?? ''}
              onChange={(e) => setValues({ ...values, [o.name]: e.target.value })}
            />
          </Field>
        ))}
        <Field label="SKU">
          <input
            type="text"
            value={form.sku}
            onChange={(e) => setForm({ ...form, sku: e.target.value })}
            spellCheck={false}
          />
        </Field>
        <Field label="Price">
          <input
            type="text"
            inputMode="decimal"
            value={form.price}
            onChange={(e) => setForm({ ...form, price: e.target.value })}
          />
        </Field>
        <Field label="Initial stock">
          <input
            type="number"
            min={0}
            value={form.stock}
            onChange={(e) => setForm({ ...form, stock: e.target.value })}
          />
        </Field>
      </div>
      {product.options.map((o) => (
        <datalist key={o.name} id={`values-${o.name}`}>
          {o.values.map((v) => (
            <option key={v} value={v} />
          ))}
        </datalist>
      ))}
      <div aria-live="polite">{error && <Notice kind="error">{error}</Notice>}</div>
      <div>
        <Button type="submit" variant="secondary" busy={busy}>
          Add variant
        </Button>
      </div>
    </form>
  );
}
