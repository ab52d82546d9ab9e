/** Minimal types for the `vcf` parser, used only to check our exports independently. */
declare module 'vcf' {
  interface VCardProperty {
    valueOf(): string;
    [param: string]: unknown;
  }
  class VCard {
    data: Record<string, VCardProperty | VCardProperty[]>;
    get(key: string): VCardProperty | VCardProperty[] | undefined;
    static parse(text: string): VCard[];
  }
  export default VCard;
}
