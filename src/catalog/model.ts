/** A product as the catalog keeps it; prices in minor units. */
export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceMinor: number;
  currency: string;
  imageUrl: string | null;
  active: boolean;
}
