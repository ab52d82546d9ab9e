import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { CARD_VISIBILITY_FIELDS } from '../../../../shared/card';

const visibilitySchema = new Schema(
  Object.fromEntries(
    CARD_VISIBILITY_FIELDS.map((field) => [
      field,
      { type: Boolean, required: true, default: true },
    ]),
  ),
  { _id: false, strict: 'throw' },
);

const text = { type: String, default: '' };

const cardSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true, unique: true },
    fullName: { type: String, required: true },
    title: text,
    company: text,
    email: text,
    phone: text,
    website: text,
    linkedin: text,
    bio: text,
    offering: text,
    seeking: text,
    /** Decoded JPEG bytes (≤ 150 KB, magic bytes checked). */
    photo: { type: Buffer, default: null },
    visibility: { type: visibilitySchema, required: true, default: () => ({}) },
  },
  { timestamps: true, strict: 'throw' },
);

export type Card = InferSchemaType<typeof cardSchema>;
export type CardDoc = HydratedDocument<Card>;
export const CardModel = model('Card', cardSchema, 'cards');
