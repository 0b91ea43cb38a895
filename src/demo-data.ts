import type { CatalogService, NewProduct } from './catalog/service.ts';
import { currencyDecimals } from './platform/money.ts';

/**
 * The catalog `npm start` opens with: a few dozen products over several categories, some with
 * plenty of stock, some nearly gone, one sold out, so every badge and warning can be seen.
 */
const CATEGORIES: Array<{ prefix: string; items: Array<[string, number, string]> }> = [
  {
    prefix: 'MUG',
    items: [
      ['Stoneware Mug, Sand', 18, 'Hand-glazed 350 ml mug with a speckled sand finish.'],
      ['Stoneware Mug, Ink', 18, 'The same mug in deep ink blue.'],
      ['Espresso Cup Pair', 24, 'Two 90 ml porcelain cups with saucers.'],
      ['Travel Tumbler', 29.5, 'Double-walled steel, keeps coffee hot for six hours.'],
      ['Pour-over Dripper', 34, 'Ceramic cone dripper for size 02 filters.'],
    ],
  },
  {
    prefix: 'TEE',
    items: [
      ['Organic Tee, White', 25, 'Heavyweight organic cotton, relaxed fit.'],
      ['Organic Tee, Black', 25, 'Heavyweight organic cotton, relaxed fit.'],
      ['Linen Shirt', 79, 'Washed European linen, mother-of-pearl buttons.'],
      ['Merino Crew Sweater', 119, 'Fine-gauge merino wool, made in Portugal.'],
      ['Canvas Work Jacket', 165, 'Waxed cotton canvas with a corduroy collar.'],
    ],
  },
  {
    prefix: 'BAG',
    items: [
      ['Canvas Tote', 32, 'Heavy canvas tote with an inside pocket.'],
      ['Leather Card Holder', 45, 'Vegetable-tanned leather, four card slots.'],
      ['Roll-top Backpack', 139, 'Waterproof 22 l backpack with a laptop sleeve.'],
      ['Weekender Duffel', 189, 'Cotton duck duffel with leather handles.'],
    ],
  },
  {
    prefix: 'HOME',
    items: [
      ['Beeswax Candle', 22, 'Hand-poured, burns for 40 hours.'],
      ['Linen Tea Towels, Set of 2', 28, 'Stonewashed linen in oat and rust.'],
      ['Oak Cutting Board', 58, 'End-grain oak, oiled and ready to use.'],
      ['Wool Throw Blanket', 140, 'Lambswool throw woven in Wales.'],
      ['Cast Iron Skillet', 65, 'Pre-seasoned 26 cm skillet.'],
      ['Glass Carafe', 39, 'Mouth-blown borosilicate, 1 litre.'],
    ],
  },
  {
    prefix: 'STAT',
    items: [
      ['Dot Grid Notebook', 16, 'A5, 192 pages of 100 gsm paper.'],
      ['Brass Pen', 48, 'Solid brass ballpoint that ages beautifully.'],
      ['Desk Organiser', 36, 'Walnut tray with three compartments.'],
      ['Wall Calendar', 21, 'Risograph-printed calendar for the year ahead.'],
    ],
  },
  {
    prefix: 'COF',
    items: [
      ['House Blend Coffee, 250 g', 14.5, 'Chocolate, hazelnut, a hint of cherry.'],
      ['Single Origin Ethiopia, 250 g', 17, 'Jasmine, bergamot and stone fruit.'],
      ['Decaf Colombia, 250 g', 15, 'Sugar-cane processed, caramel sweetness.'],
      ['Loose Leaf Earl Grey, 100 g', 12, 'Black tea with real bergamot oil.'],
    ],
  },
];

// A few products are nearly gone and one is sold out, so the storefront shows its warnings.
const STOCK_OVERRIDES: Record<string, number> = { 'TEE-004': 3, 'BAG-004': 2, 'HOME-004': 4, 'COF-002': 0 };

export async function seedDemoCatalog(catalog: CatalogService): Promise<number> {
  if ((await catalog.count()) > 0) return 0;
  let created = 0;
  for (const category of CATEGORIES) {
    for (const [i, [name, price, description]] of category.items.entries()) {
      const sku = `${category.prefix}-${String(i + 1).padStart(3, '0')}`;
      await catalog.create({
        sku,
        name,
        description,
        priceMinor: Math.round(price * 10 ** currencyDecimals(catalog.currency)),
        imageUrl: null,
        initialStock: STOCK_OVERRIDES[sku] ?? 20 + ((i * 17) % 60),
        lowStockThreshold: 5,
      });
      created++;
    }
  }
  await catalog.create(variantDemo(Math.round(24 * 10 ** currencyDecimals(catalog.currency))));
  return created + 1;
}

const SIZES = ['S', 'M', 'L', 'XL'];
const COLOURS = ['White', 'Black', 'Navy'];

/** A product with sizes and colours: a variant per combination, XL a little dearer, one sold out. */
function variantDemo(priceMinor: number): NewProduct {
  return {
    sku: 'TEE-100',
    name: 'Everyday Tee',
    description: 'Heavyweight organic cotton, cut a little long. Pick your size and colour.',
    priceMinor,
    imageUrl: null,
    initialStock: 0,
    lowStockThreshold: 3,
    options: [
      { name: 'Size', values: SIZES },
      { name: 'Colour', values: COLOURS },
    ],
    variants: SIZES.flatMap((size, s) =>
      COLOURS.map((colour, c) => ({
        sku: `TEE-100-${size}-${colour.slice(0, 3).toUpperCase()}`,
        options: { Size: size, Colour: colour },
        priceMinor: size === 'XL' ? priceMinor + Math.round(priceMinor / 12) : priceMinor,
        weightGrams: 180 + s * 20,
        taxCategory: null,
        initialStock: size === 'S' && colour === 'Navy' ? 0 : 4 + ((s * 3 + c * 5) % 12),
      })),
    ),
  };
}
