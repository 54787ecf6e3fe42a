/*
 * demo: generate the demo queue (see demo.h). The text is data: tables of
 * cases per workflow with {placeholders} filled from a seeded generator, so
 * the same seed gives the same queue. Goes through the queue interface only;
 * never prints.
 */
#include "signoff/cli/demo_data.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signoff/backends.h"
#include "signoff/queue.h"

#define DAY_MS (24LL * 60 * 60 * 1000)
#define MIN_MS (60LL * 1000)
#define HISTORY_DAYS 30
#define MODEL_OLD "m-2026-09"
#define MODEL_NEW "m-2026-11"

/* ---- seeded generator (splitmix64) --------------------------------- */

struct rng {
    uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

#define PICK(r, arr) ((arr)[rng_next(r) % SO_ARRAY_LEN(arr)])

/* A version-4-shaped UUID from the generator, so request ids (and with
 * them the audit hashes) are reproducible. */
static void rng_uuid(struct rng *r, char out[37])
{
    uint64_t a = rng_next(r), b = rng_next(r);
    snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
             (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
             (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
             (unsigned long long)(b & 0xffffffffffffULL));
}

/* ---- the text ------------------------------------------------------- */

struct demo_cite {
    const char *title;
    const char *uri;
    const char *excerpt;
    const char *quote;
    const char *misquote; /* a plausible quote that is NOT in the excerpt */
};

struct demo_case {
    const char *title;
    const char *input;
    const char *body;
    const struct demo_cite *cites[3];
    int days_lo, days_hi; /* range of {days} that fits the story */
};

struct product {
    const char *name;
    const char *price;
};

static const struct product products[] = {
    {"Aeris 2 wireless headphones", "€149.00"},
    {"Luma desk lamp", "€59.90"},
    {"TrailPro 45L backpack", "€129.00"},
    {"Brew One coffee grinder", "€89.00"},
    {"Nordic wool blanket", "€74.50"},
    {"Vento standing fan", "€119.00"},
    {"Kinetic S smart watch", "€249.00"},
    {"Alba ceramic cookware set", "€199.00"},
    {"Orbit HD webcam", "€69.00"},
    {"Sora electric kettle", "€45.00"},
};

struct plan {
    const char *name;
    const char *price;
};

static const struct plan plans[] = {
    {"Starter", "€96.00"},
    {"Team", "€348.00"},
    {"Business", "€1,188.00"},
};

static const char *const first_names[] = {
    "Amara", "Jonas", "Sofia", "Mateo", "Yuki",  "Fatima", "Liam",   "Chen",
    "Olga",  "Kwame", "Inês",  "Rahul", "Emma",  "Tomasz", "Aisha",  "Lucas",
    "Noor",  "Elena", "Björn", "Zanele", "Hugo", "Mei",    "Dmitri", "Clara",
};

static const char *const last_names[] = {
    "Okafor", "Schmidt", "García", "Rossi",   "Tanaka",  "Haddad",
    "Murphy", "Li",      "Petrova", "Mensah", "Costa",   "Iyer",
    "Dubois", "Nowak",   "Rahman", "Andersson", "Novak", "Silva",
};

static const char *const companies[] = {
    "Northwind Logistics GmbH", "Bluepeak Health Ltd",  "Arcadia Retail SA",
    "Kestrel Analytics BV",     "Harbor & Finch LLP",   "Solano Energy SpA",
    "Meridian Foods AB",        "Quayside Media Ltd",   "Tallis Robotics Oy",
    "Verdant Insurance plc",
};

/* Support knowledge base. */
static const struct demo_cite kb_reset = {
    "Resetting your password", "https://help.example.com/kb/password-reset",
    "Password reset links are valid for 60 minutes and can be used once. "
    "Each new request cancels the links sent before it, so only the most "
    "recent email works.",
    "Each new request cancels the links sent before it",
    "Links stay valid for 24 hours, even after a new request"};
static const struct demo_cite kb_shipping = {
    "Delivery times and tracking", "https://help.example.com/kb/delivery-times",
    "Standard delivery takes 3 to 5 working days within the EU. Orders placed "
    "before 14:00 CET ship the same day. If tracking has not updated for 5 "
    "working days, we open an investigation with the carrier and offer a "
    "replacement or a refund.",
    "If tracking has not updated for 5 working days, we open an investigation "
    "with the carrier",
    "If tracking has not updated for 2 working days, we send a replacement"};
static const struct demo_cite kb_address = {
    "Changing a delivery address", "https://help.example.com/kb/change-address",
    "The delivery address can be changed until the order is handed to the "
    "carrier, usually within 2 hours of purchase. After that, the carrier's "
    "redirect service may be available for a fee of €4.90.",
    "can be changed until the order is handed to the carrier",
    "can be changed free of charge at any time before delivery"};
static const struct demo_cite kb_cancel = {
    "Cancelling a subscription",
    "https://help.example.com/kb/cancel-subscription",
    "You can cancel at any time from Settings > Billing. Your plan stays "
    "active until the end of the current billing period, and we do not charge "
    "again after cancellation.",
    "Your plan stays active until the end of the current billing period",
    "Your plan ends at once and unused days are refunded"};
static const struct demo_cite kb_invoice = {
    "Invoices and VAT", "https://help.example.com/kb/invoices",
    "All invoices are available as PDF under Settings > Billing > Invoices. "
    "To add a VAT number to past invoices, contact support within the same "
    "calendar year; invoices from earlier years cannot be reissued.",
    "contact support within the same calendar year",
    "contact support at any time, for any year"};
static const struct demo_cite kb_2fa = {
    "Lost access to two-factor authentication",
    "https://help.example.com/kb/2fa-recovery",
    "If you lose your second factor, use one of the recovery codes saved at "
    "setup. Without recovery codes, an account owner can reset two-factor "
    "authentication for team members; for owners we verify identity with a "
    "signed request, which takes up to 3 working days.",
    "which takes up to 3 working days", "which takes up to 24 hours"};
static const struct demo_cite kb_damaged = {
    "Items damaged in transit", "https://help.example.com/kb/damaged-items",
    "If an item arrives damaged, send us a photo of the item and the packaging "
    "within 14 days of delivery. We then ship a replacement free of charge or "
    "refund the item, whichever the customer prefers; there is no need to "
    "return the damaged item.",
    "there is no need to return the damaged item",
    "the damaged item must be returned before we refund it"};
static const struct demo_cite kb_export = {
    "Exporting your data", "https://help.example.com/kb/data-export",
    "Account owners can export all workspace data as a ZIP of JSON and CSV "
    "files from Settings > Privacy > Export. Exports are prepared within 24 "
    "hours and the download link stays valid for 7 days.",
    "the download link stays valid for 7 days",
    "the download link never expires"};

static const struct demo_case support_cases[] = {
    {"Password reset link says expired",
     "Hi, I've tried to reset my password three times this morning and every "
     "link says it has expired. I clicked the last one straight away. I need "
     "to get into my account before a client call at 2pm.\n\n{name}",
     "Hi {first},\n\nSorry about the trouble getting back into your account. "
     "Each new reset request cancels the links sent before it, so only the "
     "most recent email works [1]. Please request one more link from the "
     "sign-in page and use only that one, within the hour.\n\nIf it still "
     "fails, reply here and I will reset the password for you.\n\nBest "
     "regards,\nCustomer Support",
     {&kb_reset}, 1, 1},
    {"Where is order {order}?",
     "Hello, my order {order} ({product}) was supposed to arrive last week. "
     "The tracking page hasn't changed in {days} days and still says 'label "
     "created'. Can you tell me what is going on?\n\n{name}",
     "Hi {first},\n\nThank you for your patience, and sorry that your "
     "{product} has not arrived. Standard delivery takes 3 to 5 working days "
     "[1]; since tracking has not moved for {days} days, I have opened an "
     "investigation with the carrier [1]. You will hear from us within two "
     "working days with either the parcel or a replacement.\n\nBest "
     "regards,\nCustomer Support",
     {&kb_shipping}, 5, 9},
    {"Change delivery address for {order}",
     "I just placed order {order} and realised it's going to my old flat. "
     "Can you change the address to my new one? It's still the same city.\n\n"
     "{name}",
     "Hi {first},\n\nNo problem. The address can be changed until the order "
     "is handed to the carrier [1], and your order {order} has not shipped "
     "yet. Please reply with the full new address and I will update it "
     "straight away.\n\nBest regards,\nCustomer Support",
     {&kb_address}, 1, 1},
    {"Cancel my {plan} subscription",
     "Please cancel our {plan} subscription. We're moving to a different "
     "tool. Will we be charged again?\n\n{name}",
     "Hi {first},\n\nI'm sorry to see you go. You can cancel from Settings > "
     "Billing, or I can do it for you if you confirm here. Your plan stays "
     "active until the end of the current billing period [1] and you will "
     "not be charged again.\n\nBest regards,\nCustomer Support",
     {&kb_cancel}, 1, 1},
    {"VAT number missing on invoices",
     "Our finance team needs our VAT number on the invoices from this year "
     "and last year. Can you reissue them?\n\n{name}",
     "Hi {first},\n\nI can add your VAT number to this year's invoices: "
     "please send it and I will reissue them [1]. Unfortunately invoices "
     "from earlier years cannot be reissued [1]; the invoices themselves "
     "are always available as PDF in Settings [1].\n\nBest regards,\n"
     "Customer Support",
     {&kb_invoice}, 1, 1},
    {"Locked out: lost phone with authenticator",
     "I lost my phone and with it the authenticator app. I'm the account "
     "owner so nobody else can reset it. What now? This is urgent.\n\n{name}",
     "Hi {first},\n\nI'm sorry, that's stressful. If you saved recovery codes "
     "at setup, any one of them will let you in [1]. If not, we verify the "
     "owner's identity with a signed request, which takes up to 3 working "
     "days [1]. I have attached the form; send it back and I will start "
     "right away.\n\nBest regards,\nCustomer Support",
     {&kb_2fa}, 1, 1},
    {"{product} arrived broken",
     "My {product} (order {order}) arrived today with a cracked base. Photos "
     "attached. Do I have to send it back?\n\n{name}",
     "Hi {first},\n\nI'm sorry your {product} arrived damaged, and thank you "
     "for the photos. There is no need to return the damaged item [1]. Would "
     "you prefer a replacement or a refund? Standard delivery of a "
     "replacement takes 3 to 5 working days [2].\n\nBest regards,\n"
     "Customer Support",
     {&kb_damaged, &kb_shipping}, 1, 10},
    {"Export all our workspace data",
     "We're doing a data audit. How do we get a full export of everything in "
     "our workspace, and how long is the link valid?\n\n{name}",
     "Hi {first},\n\nAccount owners can export all workspace data from "
     "Settings > Privacy > Export [1]. The export is prepared within 24 hours "
     "and the download link stays valid for 7 days [1].\n\nBest regards,\n"
     "Customer Support",
     {&kb_export}, 1, 1},
};

/* Refund policies and records. */
static const struct demo_cite pol_window = {
    "Refund policy v3", "https://kb.example.com/policies/refunds-v3",
    "Customers may return unused items within 30 days of delivery for a full "
    "refund to the original payment method. Items reported damaged or not as "
    "described are refundable within 60 days without return. Refunds above "
    "€500 need a second approval from finance.",
    "within 30 days of delivery for a full refund",
    "within 45 days of delivery for a full refund"};
static const struct demo_cite pol_damaged = {
    "Refund policy v3", "https://kb.example.com/policies/refunds-v3",
    "Customers may return unused items within 30 days of delivery for a full "
    "refund to the original payment method. Items reported damaged or not as "
    "described are refundable within 60 days without return. Refunds above "
    "€500 need a second approval from finance.",
    "Items reported damaged or not as described are refundable within 60 "
    "days without return",
    "Items reported damaged are refundable within 90 days without return"};
static const struct demo_cite pol_late = {
    "Delivery guarantee", "https://kb.example.com/policies/delivery-guarantee",
    "When an express order arrives more than 2 working days after the "
    "promised date, the express shipping fee is refunded on request. The goods "
    "themselves are not refundable on the grounds of late delivery alone.",
    "the express shipping fee is refunded on request",
    "the full order amount is refunded on request"};
static const struct demo_cite pol_dup = {
    "Payment incidents", "https://kb.example.com/policies/payment-incidents",
    "A duplicate charge confirmed by the payment processor is refunded in "
    "full without further checks. Refunds to cards take 5 to 10 working days "
    "to appear on the statement.",
    "A duplicate charge confirmed by the payment processor is refunded in "
    "full",
    "Any charge the customer disputes is refunded in full"};
static const struct demo_cite pol_renewal = {
    "Subscription renewals", "https://kb.example.com/policies/renewals",
    "Annual subscriptions renew automatically. A renewal cancelled within 14 "
    "days is refunded in full; after 14 days, no partial refunds are given "
    "for the remaining term.",
    "A renewal cancelled within 14 days is refunded in full",
    "A renewal cancelled within 30 days is refunded in full"};
static const struct demo_cite rec_order = {
    "Order record {order}", "https://backoffice.example.com/orders/{order}",
    "Order {order}: {product}, {amount}, paid by card. Delivered {days} days "
    "ago. No earlier refunds on this customer account.",
    "Delivered {days} days ago", "Delivered yesterday"};

static const struct demo_case refund_cases[] = {
    {"Refund {amount}: {product} damaged",
     "Refund request for order {order} ({product}, {amount}).\nCustomer "
     "writes: \"The {product} arrived with a cracked casing, photos attached. "
     "I'd like my money back rather than a replacement.\"",
     "Recommendation: APPROVE a full refund of {amount} to the original "
     "payment method.\n\nThe customer reported the item as damaged and sent "
     "photos; damaged items are refundable within 60 days without return "
     "[1]. The order was delivered {days} days ago [2], inside that window, "
     "so no return label is needed.",
     {&pol_damaged, &rec_order}, 2, 40},
    {"Refund {amount}: {product} unused, changed mind",
     "Refund request for order {order} ({product}, {amount}).\nCustomer "
     "writes: \"I bought this as a gift but they already have one. It's "
     "still sealed in the box. Can I return it?\"",
     "Recommendation: APPROVE a full refund of {amount} once the item is "
     "back.\n\nUnused items may be returned within 30 days of delivery for a "
     "full refund [1]; the order was delivered {days} days ago [2]. Send the "
     "prepaid return label.",
     {&pol_window, &rec_order}, 3, 28},
    {"Refund {amount}: return after {days} days",
     "Refund request for order {order} ({product}, {amount}).\nCustomer "
     "writes: \"I never really used it and would like to return it for a "
     "refund, please.\"",
     "Recommendation: DECLINE the refund.\n\nUnused items are refundable "
     "within 30 days of delivery [1], and this order was delivered {days} "
     "days ago [2]. Offer 20% store credit as a goodwill gesture instead.",
     {&pol_window, &rec_order}, 38, 90},
    {"Late express delivery, order {order}",
     "Refund request for order {order} ({product}, {amount}, express "
     "shipping €9.90).\nCustomer writes: \"I paid for express and it came four "
     "days late. I want a full refund.\"",
     "Recommendation: PARTIAL refund of the express fee (€9.90) only.\n\nFor "
     "late express orders the express shipping fee is refunded on request "
     "[1]; the goods are not refundable on the grounds of late delivery alone "
     "[1]. Apologise and refund €9.90.",
     {&pol_late}, 1, 1},
    {"Duplicate charge {amount}, order {order}",
     "Refund request for order {order}.\nCustomer writes: \"I was charged "
     "twice for the same order, {amount} each time. See my bank statement "
     "attached.\"\nPayment processor: duplicate capture confirmed.",
     "Recommendation: APPROVE a refund of {amount} for the second charge.\n\n"
     "The payment processor confirmed the duplicate capture, and a confirmed "
     "duplicate charge is refunded in full without further checks [1]. Tell "
     "the customer it takes 5 to 10 working days to appear [1].",
     {&pol_dup}, 1, 1},
    {"Annual {plan} renewal refund ({price})",
     "Refund request: annual {plan} plan renewed {days} days ago for {price}."
     "\nCustomer writes: \"We forgot to cancel before the renewal and don't "
     "use the product any more. Can we get the money back?\"",
     "Recommendation: APPROVE a full refund of {price}.\n\nThe renewal was "
     "{days} days ago and a renewal cancelled within 14 days is refunded in "
     "full [1]. Cancel the subscription at the same time.",
     {&pol_renewal}, 1, 13},
};

/* The contracting playbook. */
static const struct demo_cite pb_liability = {
    "Contracting playbook §4: Limitation of liability",
    "https://legal.example.com/playbook#liability",
    "Our standard position caps each party's aggregate liability at the fees "
    "paid in the 12 months before the claim. We may accept up to 2x annual "
    "fees for strategic accounts with approval from the General Counsel. We "
    "never accept uncapped liability except for breach of confidentiality "
    "and data protection obligations.",
    "caps each party's aggregate liability at the fees paid in the 12 months "
    "before the claim",
    "caps each party's aggregate liability at the fees paid in the 24 months "
    "before the claim"};
static const struct demo_cite pb_indemnity = {
    "Contracting playbook §5: Indemnities",
    "https://legal.example.com/playbook#indemnities",
    "We indemnify the customer against third-party claims that our software "
    "infringes intellectual property rights. We do not give general "
    "indemnities for any breach of contract, and we do not indemnify for the "
    "customer's own data or configurations.",
    "We do not give general indemnities for any breach of contract",
    "We give general indemnities only for material breach"};
static const struct demo_cite pb_termination = {
    "Contracting playbook §7: Termination",
    "https://legal.example.com/playbook#termination",
    "Either party may terminate for material breach not cured within 30 days "
    "of written notice. We do not accept termination for convenience by the "
    "customer during the initial term; after the initial term, 90 days' "
    "notice is acceptable.",
    "We do not accept termination for convenience by the customer during the "
    "initial term",
    "We accept termination for convenience with 30 days' notice"};
static const struct demo_cite pb_renewal = {
    "Contracting playbook §8: Renewal and price changes",
    "https://legal.example.com/playbook#renewal",
    "Subscriptions renew for successive 12-month terms unless either party "
    "gives 60 days' notice before the end of the term. Price increases on "
    "renewal are capped at 7%.",
    "Price increases on renewal are capped at 7%",
    "Price increases on renewal are capped at 3%"};
static const struct demo_cite pb_law = {
    "Contracting playbook §12: Governing law",
    "https://legal.example.com/playbook#law",
    "Our contracts are governed by the laws of Ireland with the courts of "
    "Dublin having exclusive jurisdiction. For customers in Germany or France "
    "we may accept their law, but never US state law without General Counsel "
    "approval.",
    "never US state law without General Counsel approval",
    "US state law is acceptable for enterprise customers"};
static const struct demo_cite pb_payment = {
    "Contracting playbook §6: Payment terms",
    "https://legal.example.com/playbook#payment",
    "Invoices are payable within 30 days of the invoice date. We accept up to "
    "60 days for public-sector customers. Late payments accrue interest at "
    "the statutory rate.",
    "Invoices are payable within 30 days of the invoice date",
    "Invoices are payable within 90 days of the invoice date"};
static const struct demo_cite pb_dpa = {
    "Data processing addendum v2, clause 9: Sub-processors",
    "https://legal.example.com/dpa-v2#clause-9",
    "The processor may engage the sub-processors listed in Annex 3 and shall "
    "give the controller 30 days' notice of any new sub-processor, during "
    "which the controller may object on reasonable data protection grounds.",
    "shall give the controller 30 days' notice of any new sub-processor",
    "shall obtain the controller's prior written consent for each new "
    "sub-processor"};

static const struct demo_case contract_cases[] = {
    {"{company}: limitation of liability (cl. 11.2)",
     "Clause 11.2 as proposed by {company}:\n\"The Supplier's total "
     "liability under this Agreement shall not exceed the total fees paid or "
     "payable in the twenty-four (24) months preceding the event giving rise "
     "to the claim.\"",
     "Assessment: DEVIATES from our standard position.\n\n{company} proposes "
     "a cap at 24 months of fees; our standard cap is the fees paid in the 12 "
     "months before the claim [1]. Up to 2x annual fees is possible only for "
     "strategic accounts with General Counsel approval [1].\n\nProposed "
     "redline: replace \"twenty-four (24) months\" with \"twelve (12) "
     "months\".",
     {&pb_liability}, 1, 1},
    {"{company}: general indemnity (cl. 14.1)",
     "Clause 14.1 as proposed by {company}:\n\"The Supplier shall indemnify "
     "the Customer against all losses arising from any breach of this "
     "Agreement by the Supplier.\"",
     "Assessment: NOT ACCEPTABLE.\n\nWe do not give general indemnities for "
     "any breach of contract [1]; our indemnity covers third-party IP "
     "infringement claims only [1]. Breach is already addressed by the "
     "liability clause, whose cap must not be bypassed [2].\n\nProposed "
     "redline: limit 14.1 to third-party claims that the Software infringes "
     "intellectual property rights.",
     {&pb_indemnity, &pb_liability}, 1, 1},
    {"{company}: termination for convenience (cl. 17.3)",
     "Clause 17.3 as proposed by {company}:\n\"The Customer may terminate "
     "this Agreement at any time for convenience on thirty (30) days' written "
     "notice.\"",
     "Assessment: DEVIATES from our standard position.\n\nWe do not accept "
     "termination for convenience during the initial term [1]. After the "
     "initial term, 90 days' notice is acceptable [1].\n\nProposed redline: "
     "\"After the Initial Term, the Customer may terminate for convenience on "
     "ninety (90) days' written notice.\"",
     {&pb_termination}, 1, 1},
    {"{company}: renewal price cap (cl. 6.4)",
     "Clause 6.4 as proposed by {company}:\n\"Fees for any renewal term "
     "shall not increase by more than three percent (3%) over the fees of "
     "the preceding term.\"",
     "Assessment: ACCEPTABLE, better for the customer than our standard.\n\n"
     "Our playbook caps price increases on renewal at 7% [1], so a 3% cap is "
     "within our authority but costs margin. Renewal terms of 12 months with "
     "60 days' notice stay unchanged [1].\n\nRecommendation: accept, or "
     "counter at 5% if the deal allows.",
     {&pb_renewal}, 1, 1},
    {"{company}: governing law (cl. 22)",
     "Clause 22 as proposed by {company}:\n\"This Agreement is governed by "
     "the laws of the State of Delaware, and the parties submit to the "
     "exclusive jurisdiction of its courts.\"",
     "Assessment: NEEDS APPROVAL.\n\nOur contracts are governed by the laws "
     "of Ireland [1], and US state law is never accepted without General "
     "Counsel approval [1].\n\nProposed redline: replace \"the State of "
     "Delaware\" with \"Ireland\" and \"its courts\" with \"the courts of "
     "Dublin\". Escalate if {company} insists.",
     {&pb_law}, 1, 1},
    {"{company}: payment terms (cl. 8.1)",
     "Clause 8.1 as proposed by {company}:\n\"Invoices shall be payable "
     "within ninety (90) days of receipt of a valid invoice.\"",
     "Assessment: DEVIATES from our standard position.\n\nInvoices are "
     "payable within 30 days of the invoice date [1]; 60 days is accepted "
     "only for public-sector customers [1], which {company} is not.\n\n"
     "Proposed redline: \"within thirty (30) days of the invoice date\".",
     {&pb_payment}, 1, 1},
    {"{company}: sub-processor consent (DPA cl. 9)",
     "DPA clause 9 as proposed by {company}:\n\"The Processor shall not "
     "engage any new sub-processor without the Controller's prior written "
     "consent.\"",
     "Assessment: DEVIATES from our DPA.\n\nOur DPA gives 30 days' notice of "
     "a new sub-processor with a right to object [1], not prior consent. "
     "Prior consent for each change would block our infrastructure updates "
     "[1].\n\nProposed redline: replace with our clause 9 wording, notice "
     "and objection.",
     {&pb_dpa}, 1, 1},
};

static const char *const support_edits[] = {
    "P.S. I have added a €10 credit to your account for the trouble.",
    "Update: I have checked your account myself and everything is set on our "
    "side.",
    "If anything is still unclear, you can reach me directly on this thread.",
};
static const char *const refund_edits[] = {
    "Reviewer: amount checked against the order record; refund to card only.",
    "Reviewer: customer has two earlier refunds this year, flag for fraud "
    "review before paying.",
    "Reviewer: decline instead, the photos show wear from use, not transit "
    "damage.",
};
static const char *const contract_edits[] = {
    "Note: this counterparty accepted our position in the 2025 framework "
    "agreement.",
    "Note: loop in the deal owner before sending this redline.",
};
static const char *const support_reasons[] = {"tone", "factual",
                                              "incomplete", "unsupported"};
static const char *const refund_reasons[] = {"policy", "policy",
                                             "unsupported", "factual"};
static const char *const contract_reasons[] = {"policy", "unsupported",
                                               "incomplete"};

/* Everything a case's {placeholders} can name. */
struct vars {
    char first[32];
    char name[64];
    char order[16];
    char product[64];
    char amount[16];
    char days[8];
    char company[64];
    char plan[16];
    char price[16];
};

static const char *var_value(const struct vars *v, const char *key,
                             size_t len)
{
    static const struct {
        const char *key;
        size_t off;
    } names[] = {
        {"first", offsetof(struct vars, first)},
        {"name", offsetof(struct vars, name)},
        {"order", offsetof(struct vars, order)},
        {"product", offsetof(struct vars, product)},
        {"amount", offsetof(struct vars, amount)},
        {"days", offsetof(struct vars, days)},
        {"company", offsetof(struct vars, company)},
        {"plan", offsetof(struct vars, plan)},
        {"price", offsetof(struct vars, price)},
    };
    for (size_t i = 0; i < SO_ARRAY_LEN(names); i++)
        if (strlen(names[i].key) == len && memcmp(names[i].key, key, len) == 0)
            return (const char *)v + names[i].off;
    return NULL;
}

/* The template with each {name} replaced by its value. Caller frees. */
static char *expand(const char *tpl, const struct vars *v)
{
    struct buf b;
    buf_init(&b);
    for (const char *p = tpl; *p; p++) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *val = close ? var_value(v, p + 1, (size_t)(close - p - 1))
                                : NULL;
        if (val) {
            buf_adds(&b, val);
            p = close;
        } else {
            buf_addc(&b, *p);
        }
    }
    char *s = xstrdup(buf_cstr(&b));
    buf_free(&b);
    return s;
}

static void fill_vars(struct rng *r, const struct demo_case *c,
                      struct vars *v)
{
    const struct product *pr = &products[rng_next(r) % SO_ARRAY_LEN(products)];
    const struct plan *pl = &plans[rng_next(r) % SO_ARRAY_LEN(plans)];
    snprintf(v->first, sizeof v->first, "%s", PICK(r, first_names));
    snprintf(v->name, sizeof v->name, "%s %s", v->first, PICK(r, last_names));
    snprintf(v->order, sizeof v->order, "#%06lld",
             (long long)rng_range(r, 100000, 999999));
    snprintf(v->product, sizeof v->product, "%s", pr->name);
    snprintf(v->amount, sizeof v->amount, "%s", pr->price);
    snprintf(v->days, sizeof v->days, "%lld",
             (long long)rng_range(r, c->days_lo, c->days_hi));
    snprintf(v->company, sizeof v->company, "%s", PICK(r, companies));
    snprintf(v->plan, sizeof v->plan, "%s", pl->name);
    snprintf(v->price, sizeof v->price, "%s", pl->price);
}

/* ---- drafts ----------------------------------------------------------- */

struct flow {
    const char *name;
    const char *prefix; /* of draft ids */
    const char *owner;
    double threshold;
    int window_days;
    int min_decisions;
    const struct demo_case *cases;
    size_t ncases;
    int pending;            /* drafts waiting now */
    int per_day_lo, per_day_hi; /* past decisions per working day */
    const char *const *edits;   /* what reviewers add when they edit */
    size_t nedits;
    const char *const *reasons; /* reject reasons they pick */
    size_t nreasons;
    double hourly_rate;         /* what an hour of reviewing costs (USD) */
    int64_t sla_ms;             /* the service level (0: none) */
};

static const struct flow flows[] = {
    {"support-replies", "SR", "dana", 0.20, 7, 50, support_cases,
     SO_ARRAY_LEN(support_cases), 60, 14, 20, support_edits,
     SO_ARRAY_LEN(support_edits), support_reasons,
     SO_ARRAY_LEN(support_reasons), 38.0, DAY_MS},
    {"refund-approvals", "RF", "omar", 0.15, 7, 30, refund_cases,
     SO_ARRAY_LEN(refund_cases), 50, 10, 14, refund_edits,
     SO_ARRAY_LEN(refund_edits), refund_reasons,
     SO_ARRAY_LEN(refund_reasons), 45.0, 8 * 60 * MIN_MS},
    {"contract-clauses", "CL", "lena", 0.15, 14, 20, contract_cases,
     SO_ARRAY_LEN(contract_cases), 45, 5, 8, contract_edits,
     SO_ARRAY_LEN(contract_edits), contract_reasons,
     SO_ARRAY_LEN(contract_reasons), 140.0, 2 * DAY_MS},
};

/* How a generated draft is flawed, for the grounding flags. */
enum flaw { FLAW_NONE, FLAW_MISSING_CITE, FLAW_BAD_QUOTE };

static void add_citations(struct so_draft *d, const struct demo_case *c,
                          const struct vars *v, enum flaw flaw,
                          struct rng *r)
{
    size_t n = 0;
    while (n < SO_ARRAY_LEN(c->cites) && c->cites[n])
        n++;
    if (flaw == FLAW_MISSING_CITE)
        n--; /* the body keeps its [n] marker: a citation that is missing */
    size_t bad = flaw == FLAW_BAD_QUOTE ? (size_t)rng_range(r, 0, (int64_t)n - 1)
                                        : n;
    d->citations = n ? xcalloc(n, sizeof *d->citations) : NULL;
    d->ncitations = n;
    for (size_t i = 0; i < n; i++) {
        const struct demo_cite *src = c->cites[i];
        d->citations[i].n = (int)i + 1;
        d->citations[i].title = expand(src->title, v);
        d->citations[i].uri = expand(src->uri, v);
        d->citations[i].excerpt = expand(src->excerpt, v);
        d->citations[i].quote =
            expand(i == bad ? src->misquote : src->quote, v);
    }
}

static char *metadata(const struct flow *f, const struct vars *v)
{
    cJSON *o = cJSON_CreateObject();
    if (strcmp(f->name, "contract-clauses") == 0) {
        cJSON_AddStringToObject(o, "counterparty", v->company);
        cJSON_AddStringToObject(o, "source", "redline-assistant");
    } else {
        cJSON_AddStringToObject(o, "customer", v->name);
        cJSON_AddStringToObject(o, "order", v->order);
        cJSON_AddStringToObject(o, "channel",
                                strcmp(f->name, "support-replies") == 0
                                    ? "email"
                                    : "refund-desk");
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!s)
        abort();
    char *copy = xstrdup(s);
    cJSON_free(s);
    return copy;
}

/* What the producer reports of making d, from its text and model alone (no
 * draw of the generator, so the rest of the demo stays as it was): about
 * four characters a token for the input, body and sources, a newer model
 * that costs three times as much per token, and the time to generate. */
static void usage(struct so_draft *d)
{
    size_t chars = strlen(d->body) + (d->input ? strlen(d->input) : 0);
    for (size_t i = 0; i < d->ncitations; i++)
        chars += strlen(d->citations[i].excerpt);
    int newer = strcmp(d->model, MODEL_NEW) == 0;
    d->tokens = (int64_t)(chars / 4 + 350);
    d->cost_micros = d->tokens * (newer ? 15 : 5); /* USD per 1e6 tokens */
    memcpy(d->currency, "USD", 4);
    d->latency_ms = 400 + d->tokens * (newer ? 9 : 4);
}

/* One draft of flow f; serial makes the id unique. recent: generated
 * after the new model rolled out. */
static struct so_draft *make_draft(const struct flow *f, int serial,
                                   int recent, struct rng *r)
{
    const struct demo_case *c = &f->cases[rng_next(r) % f->ncases];
    struct vars v = {0};
    fill_vars(r, c, &v);
    double u = rng_unit(r);
    enum flaw flaw = u < 0.08 ? FLAW_MISSING_CITE
                     : u < 0.16 ? FLAW_BAD_QUOTE
                                : FLAW_NONE;
    struct so_draft *d = so_draft_new();
    d->id = xasprintf("%s-%05d", f->prefix, 20000 + serial);
    d->workflow = xstrdup(f->name);
    d->model = xstrdup(recent || rng_unit(r) < 0.3 ? MODEL_NEW : MODEL_OLD);
    d->confidence = flaw != FLAW_NONE ? 0.35 + 0.25 * rng_unit(r)
                                      : 0.55 + 0.44 * rng_unit(r);
    d->confidence = (double)(int)(d->confidence * 100.0) / 100.0;
    d->title = expand(c->title, &v);
    d->input = expand(c->input, &v);
    d->body = expand(c->body, &v);
    d->priority = rng_unit(r) < 0.1 ? 2 : rng_unit(r) < 0.25 ? 1 : 0;
    d->metadata_json = metadata(f, &v);
    add_citations(d, c, &v, flaw, r);
    usage(d);
    return d;
}

/* ---- pinned time ------------------------------------------------------ */

static void pin_time(int64_t ms)
{
    char s[32];
    snprintf(s, sizeof s, "%lld", (long long)ms);
    setenv("SIGNOFF_NOW_MS", s, 1);
}

/* ---- the reviewers and their history ---------------------------------- */

#define NREVIEWERS 5
static const char *const reviewers[NREVIEWERS] = {"priya", "marcus", "dana",
                                                  "wei", "sam"};
#define RUBBER_STAMPER 4 /* sam approves support replies in seconds */

struct ctx {
    struct queue *q[NREVIEWERS];
    struct queue *sup; /* omar, the supervisor who settles escalations */
    char *escalated[8]; /* drafts escalated today, for the supervisor */
    size_t nescalated;
    struct rng r;
    int64_t now;
    int serial;
    double carry[SO_ARRAY_LEN(flows)]; /* overrides owed, per flow */
    struct demo_summary *sum;
};

/* Share of past decisions that override the draft. refund-approvals drifts
 * in the last 7 days (after the new model), the others stay steady. */
static double override_rate(const struct flow *f, int days_ago)
{
    if (strcmp(f->name, "refund-approvals") == 0)
        return days_ago > 7 ? 0.08 : 0.22 + 0.025 * (7 - days_ago);
    if (strcmp(f->name, "support-replies") == 0)
        return 0.11;
    return 0.06;
}

static enum so_status enqueue_one(struct ctx *cx, struct so_draft *d,
                                  struct so_error *err)
{
    struct so_enq_result res;
    struct queue *q = cx->q[0];
    enum so_status st = q->ops->enqueue(q, &d, 1, 0, &res, err);
    if (st == SO_OK && res.outcome == SO_ENQ_FAILED)
        st = so_fail(err, res.err.code, "%s: %s", d->id, res.err.msg);
    return st;
}

/* One past decision, planned before it is recorded. */
struct past {
    const struct flow *flow;
    int reviewer;
    enum so_action action;
    const char *reason;
    int64_t decided_at;
};

static int64_t reading_ms(struct rng *r, const struct so_draft *d, int who,
                          enum so_action a)
{
    if (who == RUBBER_STAMPER)
        return rng_range(r, 300, 1000);
    int64_t words = (int64_t)(so_word_count(d->body) + so_word_count(d->input));
    int64_t ms = words * 260 + rng_range(r, 8000, 40000);
    if (a == SO_ACT_EDIT)
        ms += rng_range(r, 60000, 180000);
    else if (a != SO_ACT_APPROVE)
        ms += rng_range(r, 20000, 60000);
    return ms;
}

/* Enqueue a fresh draft for p, then claim and decide it as p's reviewer
 * at p's (pinned) time, the way the reviewer UI would. */
static enum so_status record_past(struct ctx *cx, const struct past *p,
                                  int days_ago, struct so_error *err)
{
    struct queue *q = cx->q[p->reviewer];
    int64_t day0 = p->decided_at - p->decided_at % DAY_MS;
    pin_time(day0 + 6 * 60 * MIN_MS + rng_range(&cx->r, 0, 90 * MIN_MS));
    struct so_draft *d =
        make_draft(p->flow, cx->serial++, days_ago <= 8, &cx->r);
    enum so_status st = enqueue_one(cx, d, err);
    int64_t active = reading_ms(&cx->r, d, p->reviewer, p->action);
    int64_t shown = p->decided_at - active - rng_range(&cx->r, 0, 20000);
    struct so_claim_req creq = {.draft_id = d->id};
    struct so_draft *claimed = NULL;
    pin_time(shown);
    if (st == SO_OK)
        st = q->ops->claim(q, &creq, &claimed, err);
    char rid[37];
    rng_uuid(&cx->r, rid);
    const struct flow *f = p->flow;
    char *final = p->action == SO_ACT_EDIT
                      ? xasprintf("%s\n\n%s", d->body,
                                  f->edits[rng_next(&cx->r) % f->nedits])
                      : NULL;
    struct so_decide_req req = {
        .draft_id = d->id,
        .request_id = rid,
        .action = p->action,
        .reason = p->reason,
        .note = p->action == SO_ACT_ESCALATE
                    ? "Outside what I may approve; needs a supervisor."
                    : NULL,
        .final_body = final,
        .shown_at = shown,
        .active_ms = active,
        .lease_token = claimed ? claimed->lease_token : 0,
    };
    struct so_decide_result res;
    pin_time(p->decided_at);
    if (st == SO_OK)
        st = q->ops->decide(q, &req, &res, err);
    if (st == SO_OK)
        cx->sum->decisions++;
    if (st == SO_OK && p->action == SO_ACT_ESCALATE &&
        cx->nescalated < SO_ARRAY_LEN(cx->escalated))
        cx->escalated[cx->nescalated++] = xstrdup(d->id);
    free(final);
    so_draft_free(claimed);
    so_draft_free(d);
    return st;
}

/* Plan the decisions of flow fi on the day starting at day0 into p. The
 * number of overrides follows the rate exactly (it is not drawn; the
 * fraction left over carries to the next day), so the story holds for every
 * seed; the rubber-stamper never overrides. */
static size_t plan_flow_day(struct ctx *cx, size_t fi, int days_ago,
                            int64_t day0, struct past *p)
{
    const struct flow *f = &flows[fi];
    struct rng *r = &cx->r;
    int weekday = (int)((day0 / DAY_MS + 4) % 7); /* 0 = Sunday */
    int n = (int)rng_range(r, f->per_day_lo, f->per_day_hi);
    if (weekday == 0 || weekday == 6)
        n = n * 2 / 5;
    int stamper_ok = strcmp(f->name, "support-replies") == 0;
    double owed = override_rate(f, days_ago) * n + cx->carry[fi];
    int overrides = (int)owed;
    cx->carry[fi] = owed - overrides;
    int escalate = rng_unit(r) < 0.3;
    for (int i = 0; i < n; i++) {
        p[i].flow = f;
        p[i].reviewer = (int)rng_range(r, 0, NREVIEWERS - (stamper_ok ? 1 : 2));
        p[i].action = SO_ACT_APPROVE;
        p[i].reason = NULL;
        p[i].decided_at = day0 + 8 * 60 * MIN_MS + rng_range(r, 0, 600 * MIN_MS);
        if (p[i].reviewer == RUBBER_STAMPER)
            continue;
        if (overrides > 0) {
            int edit = rng_unit(r) < 0.55;
            p[i].action = edit ? SO_ACT_EDIT : SO_ACT_REJECT;
            p[i].reason = edit ? NULL : f->reasons[rng_next(r) % f->nreasons];
            overrides--;
        } else if (escalate) {
            p[i].action = SO_ACT_ESCALATE;
            p[i].reason = "policy";
            escalate = 0;
        }
    }
    cx->carry[fi] += overrides; /* the stamper's share moves to tomorrow */
    return (size_t)n;
}

static int by_time(const void *a, const void *b)
{
    const struct past *x = a, *y = b;
    return (x->decided_at > y->decided_at) - (x->decided_at < y->decided_at);
}

/* The supervisor settles the day's escalations in the evening, after every
 * review of the day (the chain runs forward in time); the last day's stay
 * open in the supervisors' inbox. */
static enum so_status settle_escalations(struct ctx *cx, int days_ago,
                                         int64_t day0, struct so_error *err)
{
    enum so_status st = SO_OK;
    for (size_t i = 0; i < cx->nescalated; i++) {
        char *id = cx->escalated[i];
        if (st == SO_OK && days_ago > 1) {
            struct so_claim_req creq = {.draft_id = id};
            struct so_draft *claimed = NULL;
            char rid[37];
            rng_uuid(&cx->r, rid);
            int64_t at = day0 + 19 * 60 * MIN_MS + (int64_t)i * 7 * MIN_MS;
            pin_time(at);
            st = cx->sup->ops->claim(cx->sup, &creq, &claimed, err);
            int reject = rng_unit(&cx->r) < 0.4;
            struct so_decide_req req = {
                .draft_id = id,
                .request_id = rid,
                .action = reject ? SO_ACT_REJECT : SO_ACT_APPROVE,
                .reason = reject ? "policy" : NULL,
                .shown_at = at,
                .active_ms = rng_range(&cx->r, 30000, 120000),
                .lease_token = claimed ? claimed->lease_token : 0,
            };
            struct so_decide_result res;
            pin_time(at + req.active_ms);
            if (st == SO_OK)
                st = cx->sup->ops->decide(cx->sup, &req, &res, err);
            if (st == SO_OK)
                cx->sum->decisions++;
            so_draft_free(claimed);
        }
        free(id);
    }
    cx->nescalated = 0;
    return st;
}

/* Every workflow's decisions of one past day, recorded in time order so the
 * audit chain runs forward in time. */
static enum so_status past_day(struct ctx *cx, int days_ago,
                               struct so_error *err)
{
    struct past p[3 * 32];
    size_t n = 0;
    int64_t day0 = (cx->now / DAY_MS - days_ago) * DAY_MS;
    for (size_t f = 0; f < SO_ARRAY_LEN(flows); f++)
        n += plan_flow_day(cx, f, days_ago, day0, p + n);
    qsort(p, n, sizeof *p, by_time);
    enum so_status st = SO_OK;
    for (size_t i = 0; st == SO_OK && i < n; i++)
        st = record_past(cx, &p[i], days_ago, err);
    enum so_status settled = settle_escalations(cx, days_ago, day0, err);
    return st == SO_OK ? settled : st;
}

static enum so_status setup_flow(struct ctx *cx, const struct flow *f,
                                 struct so_error *err)
{
    struct so_workflow w = {
        .name = (char *)f->name,
        .owner = (char *)f->owner,
        .threshold = f->threshold,
        .window_ms = f->window_days * DAY_MS,
        .min_decisions = f->min_decisions,
        .reviews = 1,
        .currency = "USD",
        .hourly_rate = f->hourly_rate,
        .sla_ms = f->sla_ms,
        .sla_alert = 0.1,
    };
    struct queue *q = cx->q[0];
    pin_time(cx->now - (HISTORY_DAYS + 1) * DAY_MS);
    cx->sum->workflows++;
    return q->ops->workflow_set(q, &w,
                                SO_WF_OWNER | SO_WF_THRESHOLD | SO_WF_WINDOW |
                                    SO_WF_MIN | SO_WF_REVIEWS | SO_WF_RATE |
                                    SO_WF_SLA | SO_WF_SLA_ALERT,
                                err);
}

/* The drafts waiting now, created over the last day and a half. */
static enum so_status pending_drafts(struct ctx *cx, const struct flow *f,
                                     struct so_error *err)
{
    for (int i = 0; i < f->pending; i++) {
        pin_time(cx->now - rng_range(&cx->r, 2 * MIN_MS, 36 * 60 * MIN_MS));
        struct so_draft *d = make_draft(f, cx->serial++, 1, &cx->r);
        enum so_status st = enqueue_one(cx, d, err);
        so_draft_free(d);
        if (st != SO_OK)
            return st;
        cx->sum->pending++;
    }
    return SO_OK;
}

/* refund-approvals went four-eyes today: two reviews per refund, a
 * supervisor settles a disagreement. Its history was single-review; the
 * refunds waiting now need two different reviewers. */
static enum so_status four_eyes(struct ctx *cx, struct so_error *err)
{
    struct so_workflow w = {.name = "refund-approvals", .reviews = 2};
    return cx->q[0]->ops->workflow_set(cx->q[0], &w, SO_WF_REVIEWS, err);
}

/* ---- the ratchet: a workflow in automate phase ------------------------ */

/* website-faq moved from augment to automate today: a morning of people
 * reviewing high-confidence answers (one rejected of 40), then its owner's
 * policy (approve from 0.80 at enqueue, 10% sampled), then two hours of
 * automatic approvals whose sample people reviewed. Nothing is left
 * pending, and it all happens after every other record, so the other
 * workflows' figures are those of before. */
static const struct flow faq_flow = {
    "website-faq", "FQ", "dana", 0.15, 7, 20, support_cases,
    SO_ARRAY_LEN(support_cases), 0, 0, 0, support_edits,
    SO_ARRAY_LEN(support_edits), support_reasons,
    SO_ARRAY_LEN(support_reasons), 0, 0};

static struct so_draft *faq_draft(struct ctx *cx)
{
    struct so_draft *d = make_draft(&faq_flow, cx->serial++, 1, &cx->r);
    d->confidence = (double)(int)((0.82 + 0.17 * rng_unit(&cx->r)) * 100.0) /
                    100.0;
    return d;
}

/* Claim draft id through q and decide it: shown active_ms + 2s before at,
 * decided at at (reason for a reject, final_body for an edit). */
static enum so_status claim_decide(struct ctx *cx, struct queue *q,
                                   const char *id, enum so_action action,
                                   const char *reason, const char *final_body,
                                   int64_t at, int64_t active_ms,
                                   struct so_error *err)
{
    struct so_claim_req creq = {.draft_id = id};
    struct so_draft *claimed = NULL;
    int64_t shown = at - active_ms - 2000;
    pin_time(shown);
    enum so_status st = q->ops->claim(q, &creq, &claimed, err);
    char rid[37];
    rng_uuid(&cx->r, rid);
    struct so_decide_req req = {
        .draft_id = id,
        .request_id = rid,
        .action = action,
        .reason = reason,
        .final_body = final_body,
        .shown_at = shown,
        .active_ms = active_ms,
        .lease_token = claimed ? claimed->lease_token : 0,
    };
    struct so_decide_result res;
    pin_time(at);
    if (st == SO_OK)
        st = q->ops->decide(q, &req, &res, err);
    if (st == SO_OK)
        cx->sum->decisions++;
    so_draft_free(claimed);
    return st;
}

/* Claim and decide draft id as reviewer who at time at. */
static enum so_status faq_decide(struct ctx *cx, int who, const char *id,
                                 enum so_action action, int64_t at,
                                 struct so_error *err)
{
    return claim_decide(cx, cx->q[who], id, action,
                        action == SO_ACT_REJECT ? "factual" : NULL, NULL, at,
                        38000, err);
}

/* Enqueue a faq draft at at; *id gets its id (owned). */
static enum so_status faq_enqueue(struct ctx *cx, int64_t at, char **id,
                                  struct so_error *err)
{
    struct so_draft *d = faq_draft(cx);
    pin_time(at);
    enum so_status st = enqueue_one(cx, d, err);
    *id = xstrdup(d->id);
    so_draft_free(d);
    return st;
}

static enum so_status automate_flow(struct ctx *cx, struct so_error *err)
{
    const struct flow *f = &faq_flow;
    struct so_workflow w = {.name = (char *)f->name, .owner = (char *)f->owner,
                            .threshold = f->threshold,
                            .window_ms = f->window_days * DAY_MS,
                            .min_decisions = f->min_decisions, .reviews = 1};
    int64_t t = cx->now - 5 * 60 * MIN_MS;
    pin_time(t);
    enum so_status st = cx->q[0]->ops->workflow_set(
        cx->q[0], &w,
        SO_WF_OWNER | SO_WF_THRESHOLD | SO_WF_WINDOW | SO_WF_MIN |
            SO_WF_REVIEWS,
        err);
    char *id = NULL;
    for (int i = 0; st == SO_OK && i < 40; i++, t += 3 * MIN_MS) {
        st = faq_enqueue(cx, t, &id, err);
        if (st == SO_OK)
            st = faq_decide(cx, i % 4, id, i == 17 ? SO_ACT_REJECT
                                                   : SO_ACT_APPROVE,
                            t + 2 * MIN_MS, err);
        free(id);
        id = NULL;
    }
    /* dana, the owner, moves it to automate: the figure supports 0.80 */
    char seed[37];
    rng_uuid(&cx->r, seed); /* the same seed, the same sample, each run */
    struct so_workflow p = {.name = (char *)f->name, .automate = 1,
                            .automate_from = 0.80, .sample_pct = 10,
                            .sample_seed = seed};
    pin_time(t);
    if (st == SO_OK) /* not counted: none of its drafts is waiting */
        st = cx->q[2]->ops->workflow_set(cx->q[2], &p, SO_WF_AUTOMATE, err);
    for (int i = 0; st == SO_OK && i < 100; i++, t += MIN_MS) {
        st = faq_enqueue(cx, t, &id, err);
        struct so_draft *d = NULL;
        if (st == SO_OK)
            st = cx->q[0]->ops->get(cx->q[0], id, &d, err);
        if (st == SO_OK && d->status != SO_DS_DECIDED) /* the sample */
            st = faq_decide(cx, i % 4, id, i % 23 == 5 ? SO_ACT_REJECT
                                                       : SO_ACT_APPROVE,
                            t + 30000, err);
        so_draft_free(d);
        free(id);
        id = NULL;
    }
    return st;
}

/* ---- four-eyes: the refunds reviewed twice ---------------------------- */

/* The last hour's refunds under four-eyes: two of the four reviewers who
 * take refunds each (never sam), their actions, and the supervisor's when
 * they disagree (REVERT: they agree, nothing to settle). */
static const struct paired {
    int a, b;
    enum so_action first, second, settled;
} paired[] = {
    {0, 1, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
    {2, 3, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
    {0, 2, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
    {1, 3, SO_ACT_REJECT, SO_ACT_REJECT, SO_ACT_REVERT},
    {0, 3, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
    {1, 2, SO_ACT_APPROVE, SO_ACT_EDIT, SO_ACT_APPROVE},
    {0, 1, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
    {2, 3, SO_ACT_APPROVE, SO_ACT_REJECT, SO_ACT_REJECT},
    {0, 2, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
    {1, 3, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
    {0, 3, SO_ACT_REJECT, SO_ACT_APPROVE, SO_ACT_APPROVE},
    {1, 2, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
    {0, 1, SO_ACT_REJECT, SO_ACT_REJECT, SO_ACT_REVERT},
    {2, 3, SO_ACT_APPROVE, SO_ACT_APPROVE, SO_ACT_REVERT},
};

/* One review (or the supervisor's settling) of a paired refund. */
static enum so_status paired_review(struct ctx *cx, struct queue *q,
                                    const struct so_draft *d,
                                    enum so_action a, int64_t at,
                                    struct so_error *err)
{
    const struct flow *f = &flows[1]; /* refund-approvals */
    char *final = a == SO_ACT_EDIT
                      ? xasprintf("%s\n\n%s", d->body, f->edits[0])
                      : NULL;
    enum so_status st = claim_decide(
        cx, q, d->id, a, a == SO_ACT_REJECT ? "policy" : NULL, final, at,
        reading_ms(&cx->r, d, 0, a), err);
    free(final);
    return st;
}

/* refund-approvals went four-eyes this morning (four_eyes); in the last
 * hour fourteen refunds had both their reviews, three of them disagreeing
 * and settled by omar, so stats --by pair and the monitor's agreement
 * lines have pairs to show. After every other record (the chain runs
 * forward in time), and its drafts after the waiting ones (whose ids stay
 * those of before). */
static enum so_status paired_refunds(struct ctx *cx, struct so_error *err)
{
    const struct flow *f = &flows[1];
    int64_t t = cx->now - 60 * MIN_MS;
    enum so_status st = SO_OK;
    for (size_t i = 0; st == SO_OK && i < SO_ARRAY_LEN(paired);
         i++, t += 4 * MIN_MS) {
        const struct paired *p = &paired[i];
        pin_time(t);
        struct so_draft *d = make_draft(f, cx->serial++, 1, &cx->r);
        st = enqueue_one(cx, d, err);
        if (st == SO_OK)
            st = paired_review(cx, cx->q[p->a], d, p->first, t + 2 * MIN_MS,
                               err);
        if (st == SO_OK)
            st = paired_review(cx, cx->q[p->b], d, p->second,
                               t + 3 * MIN_MS, err);
        if (st == SO_OK && p->settled != SO_ACT_REVERT)
            st = paired_review(cx, cx->sup, d, p->settled,
                               t + 4 * MIN_MS - 5000, err);
        so_draft_free(d);
    }
    return st;
}

static enum so_status populate(struct ctx *cx, struct so_error *err)
{
    enum so_status st = SO_OK;
    for (size_t f = 0; st == SO_OK && f < SO_ARRAY_LEN(flows); f++)
        st = setup_flow(cx, &flows[f], err);
    for (int day = HISTORY_DAYS; st == SO_OK && day >= 1; day--)
        st = past_day(cx, day, err);
    if (st == SO_OK)
        st = four_eyes(cx, err);
    for (size_t f = 0; st == SO_OK && f < SO_ARRAY_LEN(flows); f++)
        st = pending_drafts(cx, &flows[f], err);
    if (st == SO_OK)
        st = automate_flow(cx, err);
    if (st == SO_OK)
        st = paired_refunds(cx, err);
    return st;
}

enum so_status demo_populate(const char *path, const struct demo_opts *opts,
                             struct demo_summary *out, struct so_error *err)
{
    struct ctx cx = {.r = {opts->seed}, .now = opts->now_ms, .sum = out};
    const char *old = getenv("SIGNOFF_NOW_MS");
    char *saved = old ? xstrdup(old) : NULL;
    enum so_status st = SO_OK;
    memset(out, 0, sizeof *out);
    for (int i = 0; st == SO_OK && i < NREVIEWERS; i++) {
        struct queue_opts qo = {.reviewer = reviewers[i], .sync_normal = 1,
                                .create = 1};
        st = queue_open(path, &qo, &cx.q[i], err);
    }
    struct queue_opts so = {.reviewer = "omar", .sync_normal = 1,
                            .role = "supervisor"};
    if (st == SO_OK)
        st = queue_open(path, &so, &cx.sup, err);
    if (st == SO_OK)
        st = populate(&cx, err);
    for (int i = 0; i < NREVIEWERS; i++)
        queue_close(cx.q[i]);
    queue_close(cx.sup);
    if (saved)
        setenv("SIGNOFF_NOW_MS", saved, 1);
    else
        unsetenv("SIGNOFF_NOW_MS");
    free(saved);
    return st;
}
