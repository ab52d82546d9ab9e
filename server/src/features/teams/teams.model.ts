import { model, Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { TEAM_ROLES } from '../../../../shared/teams';

const teamMemberSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true },
    role: { type: String, enum: TEAM_ROLES, required: true },
    joinedAt: { type: Date, required: true, default: () => new Date() },
  },
  { _id: false, strict: 'throw' },
);

/**
 * Members live in the team document: a stand has a handful of staff, and keeping them in
 * one document lets "join unless already in", "leave unless last owner" and "owners only"
 * be single atomic updates (no transactions needed).
 */
const teamSchema = new Schema(
  {
    name: { type: String, required: true },
    members: { type: [teamMemberSchema], default: [] },
    /** SHA-256 of the current invite code: a leaked database does not leak working codes. */
    inviteCodeHash: { type: String, default: null },
    inviteExpiresAt: { type: Date, default: null },
    createdBy: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: true, strict: 'throw' },
);
teamSchema.index({ 'members.userId': 1 });
teamSchema.index({ inviteCodeHash: 1 });

export type Team = InferSchemaType<typeof teamSchema>;
export type TeamDoc = HydratedDocument<Team>;
export type TeamMember = InferSchemaType<typeof teamMemberSchema>;
export const TeamModel = model('Team', teamSchema, 'teams');
