import type { CatalogService, NewProduct } from './catalog/service.ts';
import type { InventoryService, VariantDirectory } from './inventory/service.ts';
import type { Db } from './platform/db.ts';
import type { FulfilmentService } from './fulfilment/service.ts';
import type { OrderService } from './orders/service.ts';
import type { AuthUser } from './platform/auth/model.ts';
import type { AuthService } from './platform/auth/service.ts';
import { currencyDecimals } from './platform/money.ts';
import type { ReturnService } from './returns/service.ts';

/**
 * The catalog `npm start` opens with: a few dozen products in a small category tree, a few with
 * pictures, some with plenty of stock, some nearly gone, one sold out, so every badge and warning
 * can be seen.
 */
const CATEGORIES: Array<{ prefix: string; category: string; items: Array<[string, number, string]> }> = [
  {
    prefix: 'MUG',
    category: 'kitchen',
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
    category: 't-shirts',
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
    category: 'bags',
    items: [
      ['Canvas Tote', 32, 'Heavy canvas tote with an inside pocket.'],
      ['Leather Card Holder', 45, 'Vegetable-tanned leather, four card slots.'],
      ['Roll-top Backpack', 139, 'Waterproof 22 l backpack with a laptop sleeve.'],
      ['Weekender Duffel', 189, 'Cotton duck duffel with leather handles.'],
    ],
  },
  {
    prefix: 'HOME',
    category: 'home',
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
    category: 'stationery',
    items: [
      ['Dot Grid Notebook', 16, 'A5, 192 pages of 100 gsm paper.'],
      ['Brass Pen', 48, 'Solid brass ballpoint that ages beautifully.'],
      ['Desk Organiser', 36, 'Walnut tray with three compartments.'],
      ['Wall Calendar', 21, 'Risograph-printed calendar for the year ahead.'],
    ],
  },
  {
    prefix: 'COF',
    category: 'coffee-tea',
    items: [
      ['House Blend Coffee, 250 g', 14.5, 'Chocolate, hazelnut, a hint of cherry.'],
      ['Single Origin Ethiopia, 250 g', 17, 'Jasmine, bergamot and stone fruit.'],
      ['Decaf Colombia, 250 g', 15, 'Sugar-cane processed, caramel sweetness.'],
      ['Loose Leaf Earl Grey, 100 g', 12, 'Black tea with real bergamot oil.'],
    ],
  },
];

/** The demo's category tree, parents first: [name, slug, parent slug]. */
const TREE: Array<[string, string, string | null]> = [
  ['Apparel', 'apparel', null],
  ['T-shirts', 't-shirts', 'apparel'],
  ['Shirts & Knitwear', 'shirts-knitwear', 'apparel'],
  ['Bags', 'bags', null],
  ['Home', 'home', null],
  ['Kitchen', 'kitchen', 'home'],
  ['Stationery', 'stationery', null],
  ['Coffee & Tea', 'coffee-tea', null],
];

/** Products of a prefix that sit in another category than the rest of it. */
const CATEGORY_OVERRIDES: Record<string, string> = {
  'TEE-003': 'shirts-knitwear',
  'TEE-004': 'shirts-knitwear',
  'TEE-005': 'apparel',
};

/** Small pictures in web/public/demo/, served with the web app. */
const IMAGES: Record<string, Array<{ url: string; alt: string }>> = {
  'MUG-001': [{ url: '/demo/mug-sand.png', alt: 'A sand-coloured stoneware mug' }],
  'MUG-002': [{ url: '/demo/mug-ink.png', alt: 'An ink-blue stoneware mug' }],
  'TEE-001': [{ url: '/demo/tee-white.png', alt: 'A white tee' }],
  'TEE-002': [{ url: '/demo/tee-black.png', alt: 'A black tee' }],
  'BAG-001': [{ url: '/demo/tote.png', alt: 'A canvas tote bag' }],
  'COF-001': [{ url: '/demo/coffee.png', alt: 'A coffee bean' }],
};

// A few products are nearly gone and one is sold out, so the storefront shows its warnings.
const STOCK_OVERRIDES: Record<string, number> = { 'TEE-004': 3, 'BAG-004': 2, 'HOME-004': 4, 'COF-002': 0 };

export async function seedDemoCatalog(catalog: CatalogService): Promise<number> {
  if ((await catalog.count()) > 0) return 0;
  const categoryIds = new Map<string, string>();
  const existing = new Map((await catalog.listCategories()).map((c) => [c.slug, c.id]));
  for (const [position, [name, slug, parent]] of TREE.entries()) {
    const parentId = parent === null ? null : (categoryIds.get(parent) ?? null);
    const id = existing.get(slug) ?? (await catalog.createCategory({ name, slug, parentId, position })).id;
    categoryIds.set(slug, id);
  }
  let created = 0;
  for (const category of CATEGORIES) {
    for (const [i, [name, price, description]] of category.items.entries()) {
      const sku = `${category.prefix}-${String(i + 1).padStart(3, '0')}`;
      await catalog.create({
        sku,
        name,
        description,
        priceMinor: Math.round(price * 10 ** currencyDecimals(catalog.currency)),
        images: IMAGES[sku] ?? [],
        categoryId: categoryIds.get(CATEGORY_OVERRIDES[sku] ?? category.category) ?? null,
        initialStock: STOCK_OVERRIDES[sku] ?? 20 + ((i * 17) % 60),
        lowStockThreshold: 5,
      });
      created++;
    }
  }
  await catalog.create({
    ...variantDemo(Math.round(24 * 10 ** currencyDecimals(catalog.currency))),
    categoryId: categoryIds.get('t-shirts') ?? null,
  });
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
    images: COLOURS.map((colour) => ({
      url: `/demo/tee-${colour.toLowerCase()}.png`,
      alt: `The Everyday Tee in ${colour.toLowerCase()}`,
    })),
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

/**
 * A second warehouse, "East depot", holding a third of the tees' and homeware's stock, taken
 * from the Main warehouse: each product's total stays what the demo catalog says, and the
 * location picker, transfers and allocation have something to show.
 */
export async function seedDemoLocations(
  inventory: InventoryService,
  variants: VariantDirectory,
  db: Db,
): Promise<number> {
  if ((await inventory.listLocations(db)).length > 1) return 0;
  const main = await inventory.defaultLocation(db);
  const east = await inventory.createLocation({ name: 'East depot', code: 'EAST' }, null);
  const rows = await inventory.list({ lowStockOnly: false, limit: 500 }, variants);
  // low-stock products stay whole in one place, so what "only 3 left" means is plain
  for (const row of rows.filter((r) => /^(TEE-00|HOME-)/.test(r.sku) && r.onHand - r.reserved >= 10)) {
    const moved = Math.floor(row.onHand / 3);
    await inventory.adjust(row.variantId, 'set', row.onHand - moved, null, main.id);
    await inventory.adjust(row.variantId, 'set', moved, null, east.id);
  }
  return 2;
}

/**
 * A finished return for the demo, made through the services as a shop makes one
 * (docs/returns.md): a shopper's order of two stoneware mugs is shipped and delivered; one mug
 * is asked back (wrong size), approved, received back in stock and refunded for what the return
 * says. Nothing when a return exists already.
 */
export async function seedDemoReturn(
  services: {
    auth: AuthService;
    catalog: CatalogService;
    orders: OrderService;
    fulfilment: FulfilmentService;
    returns: ReturnService;
  },
  admin: AuthUser,
): Promise<number> {
  const { auth, catalog, orders, fulfilment, returns } = services;
  if ((await returns.list({ limit: 1 })).items.length > 0) return 0;
  const mug = (await catalog.list({ search: 'Stoneware Mug', includeInactive: false, limit: 1 })).items[0];
  const variant = mug?.variants[0];
  if (!variant) return 0;
  const { user } = await auth.guestShopper('rita.returns@example.com', 'Rita Returns');
  const items = [{ variantId: variant.id, quantity: 2 }];
  const shippingAddress = {
    street: '18 Harbour Road',
    city: 'Portland',
    state: 'OR',
    zip: '97201',
    country: 'US',
  };
  const quote = await orders.priceCheckout(user.id, items, { shippingAddress });
  const { order } = await orders.place(user, {
    items,
    shippingAddress,
    paymentMethod: { type: 'card', token: 'tok_visa' },
    expectedTotal: quote.totals.totalMinor,
  });
  await fulfilment.shipRemaining(admin, order.id, { carrier: 'UPS', trackingNumber: '1Z999AA10123456784' });
  await fulfilment.deliverAll(admin, order.id);
  const line = (await returns.ofOrder(user, order.id)).returnable[0];
  if (!line) return 0;
  const asked = await returns.request(user, order.id, {
    lines: [{ lineId: line.lineId, quantity: 1 }],
    reason: 'wrong_size',
    note: 'A taller mug would suit me better.',
  });
  await returns.approve(admin, asked.id);
  const received = await returns.receive(admin, asked.id, {
    lines: [{ lineId: line.lineId, disposition: 'restock' }],
  });
  if (received.refundDue) await returns.refund(admin, asked.id, received.refundDue.total);
  return 1;
}

/**
 * An order that left in two parcels, for the demo: a shopper's mug and tee ship apart; the first
 * parcel has arrived, the second is on its way, so the order reads "partially delivered".
 * Nothing when the shopper has ordered before.
 */
export async function seedDemoShipments(
  services: {
    auth: AuthService;
    catalog: CatalogService;
    orders: OrderService;
    fulfilment: FulfilmentService;
  },
  admin: AuthUser,
): Promise<number> {
  const { auth, catalog, orders, fulfilment } = services;
  const { user } = await auth.guestShopper('paul.parcels@example.com', 'Paul Parcels');
  if (await orders.hasOrders(user.id)) return 0;
  const find = async (search: string) =>
    (await catalog.list({ search, includeInactive: false, limit: 1 })).items[0]?.variants[0];
  const mug = await find('Stoneware Mug');
  const tee = await find('Tee');
  if (!mug || !tee) return 0;
  const items = [
    { variantId: mug.id, quantity: 1 },
    { variantId: tee.id, quantity: 2 },
  ];
  const shippingAddress = {
    street: '7 Canal Street',
    city: 'Boston',
    state: 'MA',
    zip: '02114',
    country: 'US',
  };
  const quote = await orders.priceCheckout(user.id, items, { shippingAddress });
  const { order } = await orders.place(user, {
    items,
    shippingAddress,
    paymentMethod: { type: 'card', token: 'tok_visa' },
    expectedTotal: quote.totals.totalMinor,
  });
  const [first, second] = order.lines;
  if (!first || !second) return 0;
  const parcel = await fulfilment.ship(admin, order.id, {
    lines: [{ lineId: first.id, quantity: first.quantity }],
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456785',
  });
  await fulfilment.deliver(admin, order.id, parcel.shipment.id);
  await fulfilment.ship(admin, order.id, {
    lines: [{ lineId: second.id, quantity: second.quantity }],
    carrier: 'USPS',
    trackingNumber: '9400111899223100001234',
  });
  return 2;
}
