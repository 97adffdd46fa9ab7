import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { field, invalidField, requireText } from '../../../../shared/validation';
import { SIGNATURE_METHODS, type SignatureMethod, type SmsRecipient } from '../../../helpers/types';
import { listOf, requireKzId, requirePhone, requireRecipient } from '../../../helpers/validation';
import { createSigningSessionFields as properties } from './fields';

/** Who gets the document once the sender has signed, and how they may sign. */
export interface RecipientsRequest {
	sendToRecipient: boolean;
	/** IIN/BIN, e-mail addresses and phone numbers, as Documentolog takes them (mRecipient). */
	recipients: string[];
	sms: SmsRecipient[];
	signatureRequired: boolean;
	methods: SignatureMethod[];
}

/** The signature methods of a multi-options parameter, each checked, without repeats. */
export function readMethods(
	ctx: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	field: string,
) {
	const raw = ctx.getNodeParameter(parameter, itemIndex, []) as unknown;
	const methods = listOf(raw);
	for (const method of methods) {
		if (!(SIGNATURE_METHODS as readonly string[]).includes(method)) {
			throw invalidField(
				ctx,
				itemIndex,
				field,
				`contains "${method}"; allowed are ${SIGNATURE_METHODS.join(', ')}`,
			);
		}
	}
	return [...new Set(methods)] as SignatureMethod[];
}

export function readRecipients(
	ctx: IExecuteFunctions,
	itemIndex: number,
	checkStructure: boolean,
): RecipientsRequest {
	const sendToRecipient = ctx.getNodeParameter('sendToRecipient', itemIndex, true) as boolean;
	const recipients = sendToRecipient ? readRecipientList(ctx, itemIndex, checkStructure) : [];
	const sms = sendToRecipient ? readSmsRecipients(ctx, itemIndex, checkStructure) : [];
	// The Open API guide's example always sends mRecipient; with "send to recipient" on and nobody
	// to send to, the request cannot do what it says, so it is refused here (inferred).
	if (sendToRecipient && recipients.length === 0 && sms.length === 0) {
		throw invalidField(
			ctx,
			itemIndex,
			'Recipients',
			'must list at least one recipient when Send to Recipient is on',
		);
	}
	refuseRepeats(ctx, itemIndex, recipients);
	const signatureRequired = ctx.getNodeParameter(
		'recipientSignatureRequired',
		itemIndex,
		true,
	) as boolean;
	const methods = readMethods(
		ctx,
		itemIndex,
		'recipientSignatureMethods',
		'Recipient Signature Methods',
	);
	if (sendToRecipient && signatureRequired && methods.length === 0) {
		throw invalidField(
			ctx,
			itemIndex,
			'Recipient Signature Methods',
			'must include at least one method when recipients must sign',
		);
	}
	return { sendToRecipient, recipients, sms, signatureRequired, methods };
}

/** Twelve digits are an IIN/BIN (check digit verified); anything else an e-mail or a phone. */
function readRecipientList(
	ctx: IExecuteFunctions,
	itemIndex: number,
	checkStructure: boolean,
): string[] {
	return listOf(ctx.getNodeParameter('recipients', itemIndex, [])).map((value, index) => {
		const recipient = field(properties, `recipients[${index}]`);
		const text = value.replace(/\s+/g, '');
		return /^\d{12}$/.test(text)
			? requireKzId(ctx, itemIndex, recipient, text, checkStructure)
			: requireRecipient(ctx, itemIndex, recipient, value);
	});
}

function refuseRepeats(ctx: IExecuteFunctions, itemIndex: number, recipients: string[]) {
	const seen = new Set<string>();
	recipients.forEach((recipient, index) => {
		if (seen.has(recipient)) {
			throw invalidField(
				ctx,
				itemIndex,
				field(properties, `recipients[${index}]`),
				`"${recipient}" is listed twice`,
			);
		}
		seen.add(recipient);
	});
}

function readSmsRecipients(
	ctx: IExecuteFunctions,
	itemIndex: number,
	checkStructure: boolean,
): SmsRecipient[] {
	const collection = ctx.getNodeParameter('smsRecipients', itemIndex, {}) as {
		recipient?: IDataObject[];
	};
	return (collection.recipient ?? []).map((entry, index) => {
		const at = (name: string) => field(properties, `smsRecipients.recipient[${index}].${name}`);
		const iin = String(entry.iin ?? '').trim();
		return {
			enableBMG: entry.enableBmg === true,
			phone: requirePhone(ctx, itemIndex, at('phone'), entry.phone),
			fio: requireText(ctx, itemIndex, at('fullName'), entry.fullName),
			// The vendor's documented example sends "" when the IIN is not known.
			iin: iin === '' ? '' : requireKzId(ctx, itemIndex, at('iin'), iin, checkStructure),
			type: 'sms',
		};
	});
}
