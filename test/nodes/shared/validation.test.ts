import type { IExecuteFunctions, INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import {
	type Field,
	invalidField,
	isEmail,
	isHttpUrl,
	requireHttpUrl,
	requireOneOf,
	requireText,
} from '../../../nodes/shared/validation';

const node: INode = {
	id: 'n1',
	name: 'Node',
	type: 'test',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};
const ctx = { getNode: () => node } as unknown as IExecuteFunctions;

function thrown(fn: () => unknown): NodeOperationError {
	try {
		fn();
	} catch (error) {
		expect(error).toBeInstanceOf(NodeOperationError);
		return error as NodeOperationError;
	}
	throw new Error('expected a NodeOperationError');
}

describe('invalidField', () => {
	it('names the item and the field and keeps the hint', () => {
		const error = invalidField(ctx, 4, 'Signer ID', 'is wrong', 'try again');
		expect(error.message).toBe('Item 4: Signer ID is wrong');
		expect(error.description).toBe('try again');
		expect(error.context.itemIndex).toBe(4);
	});
});

describe('requireText', () => {
	it('trims text and accepts finite numbers', () => {
		expect(requireText(ctx, 0, 'Name', '  Agreement ')).toBe('Agreement');
		expect(requireText(ctx, 0, 'Name', 42)).toBe('42');
	});

	it.each([[''], ['   '], [undefined], [null], [Number.NaN], [{}], [['a']]])(
		'refuses %p',
		(value) => {
			expect(thrown(() => requireText(ctx, 1, 'Document Name', value)).message).toBe(
				'Item 1: Document Name is required and must not be empty',
			);
		},
	);
});

describe('isEmail', () => {
	it.each([['jonas@example.com'], ['first.last+tag@sub.example.lt']])('accepts %s', (value) => {
		expect(isEmail(value)).toBe(true);
	});

	it.each([
		['plain'],
		['no-domain@'],
		['@example.com'],
		['two@@example.com'],
		['space in@example.com'],
		['a@b'],
		['a@b.c'],
		['"quoted"@example.com'],
	])('refuses %s', (value) => {
		expect(isEmail(value)).toBe(false);
	});
});

describe('isHttpUrl / requireHttpUrl', () => {
	it.each([['https://example.com/hook'], ['http://127.0.0.1:5678/webhook/x?y=1']])(
		'accepts %s',
		(value) => {
			expect(isHttpUrl(value)).toBe(true);
			expect(requireHttpUrl(ctx, 0, 'Postback URL', value)).toBe(value);
		},
	);

	it.each([
		['ftp://example.com/file'],
		['javascript:alert(1)'],
		['file:///etc/passwd'],
		['example.com/hook'],
		['/relative'],
	])('refuses %s', (value) => {
		expect(isHttpUrl(value)).toBe(false);
		expect(thrown(() => requireHttpUrl(ctx, 2, 'Postback URL', value)).message).toBe(
			`Item 2: Postback URL must be an absolute http(s) URL, got "${value}"`,
		);
	});
});

describe('requireOneOf', () => {
	it('returns an allowed value and refuses anything else', () => {
		expect(requireOneOf(ctx, 0, 'Type', 'pdf', ['pdf', 'asice'])).toBe('pdf');
		expect(thrown(() => requireOneOf(ctx, 0, 'Type', 'zip', ['pdf', 'asice'])).message).toBe(
			'Item 0: Type must be one of pdf, asice; got "zip"',
		);
		expect(thrown(() => requireOneOf(ctx, 0, 'Type', 3, ['pdf'])).message).toBe(
			'Item 0: Type must be one of pdf; got "3"',
		);
	});
});

describe('invalidField as an AI tool', () => {
	const toolContext = (parameters: INode['parameters']) =>
		({
			getNode: () => ({ ...node, type: 'n8n-nodes-esign.dokobitGatewayTool', parameters }),
		}) as unknown as IExecuteFunctions;
	const personalCode: Field = { label: 'Signer 1 › Personal Code', key: 'signers.signer[0].code' };

	it('names the label alone for the node on the canvas', () => {
		expect(invalidField(ctx, 0, personalCode, 'is wrong').message).toBe(
			'Item 0: Signer 1 › Personal Code is wrong',
		);
	});

	it('adds the parameter path when the model did not fill the field', () => {
		const error = invalidField(
			toolContext({ signers: { signer: [{ code: '1' }] } }),
			0,
			personalCode,
			'is wrong',
		);
		expect(error.message).toBe(
			'Item 0: Signer 1 › Personal Code (parameter signers.signer[0].code) is wrong',
		);
	});

	it('adds the tool argument the field was filled from', () => {
		const parameters = {
			signers: { signer: [{ code: "={{ $fromAI('personal_code', 'Personal code', 'string') }}" }] },
			signersJson: "={{ $fromAI('signers', 'The signers', 'json') }}",
		};
		expect(invalidField(toolContext(parameters), 0, personalCode, 'is wrong').message).toBe(
			'Item 0: Signer 1 › Personal Code (personal_code) is wrong',
		);
		const inJson: Field = { label: 'Signers (JSON) › Signer 2 › code', key: 'signersJson[1].code' };
		expect(invalidField(toolContext(parameters), 3, inJson, 'is wrong').message).toBe(
			'Item 3: Signers (JSON) › Signer 2 › code (signers[1].code) is wrong',
		);
	});

	it('keeps a plain label as it is: n8n names tool arguments after the labels', () => {
		expect(invalidField(toolContext({}), 0, 'Postback URL', 'is wrong').message).toBe(
			'Item 0: Postback URL is wrong',
		);
	});
});
