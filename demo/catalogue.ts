/** The demo's facilities and pharmacy products (demo/generate-ledger.ts draws its ledger from them). */
export interface DemoFacility {
    code: string
    name: string
    /** Receipts on an ordinary weekday at the start of the period. */
    dailyReceipts: number
    /** Revenue growth per year (0.3 = +30 %), applied to the number of receipts. */
    growthPerYear: number
    /** Share of receipts paid by mobile money (Orange, Moov, Sama) at the start and at the end. */
    mobileShareStart: number
    mobileShareEnd: number
    /** Share paid by card on a payment terminal. */
    cardShare: number
    /** Two-letter prefix of receipt numbers. */
    prefix: string
}

export const DEMO_FACILITIES: readonly DemoFacility[] = [
    { code: 'ML-BKO-HDB', name: 'Hôpital de Dermatologie de Bamako', dailyReceipts: 16, growthPerYear: 0.3, mobileShareStart: 0.25, mobileShareEnd: 0.6, cardShare: 0.05, prefix: 'HD' },
    { code: 'ML-BKO-CHUGT', name: 'CHU Gabriel Touré', dailyReceipts: 9, growthPerYear: 0.12, mobileShareStart: 0.15, mobileShareEnd: 0.3, cardShare: 0.04, prefix: 'GT' },
    { code: 'ML-BKO-CSREF4', name: 'CSRéf Commune IV', dailyReceipts: 5, growthPerYear: 0.08, mobileShareStart: 0.1, mobileShareEnd: 0.22, cardShare: 0.01, prefix: 'C4' },
    { code: 'ML-SIK-HRS', name: 'Hôpital régional de Sikasso', dailyReceipts: 4, growthPerYear: 0.08, mobileShareStart: 0.08, mobileShareEnd: 0.18, cardShare: 0.01, prefix: 'SK' },
    { code: 'ML-KAY-HRK', name: 'Hôpital régional de Kayes', dailyReceipts: 3, growthPerYear: 0.06, mobileShareStart: 0.06, mobileShareEnd: 0.15, cardShare: 0.01, prefix: 'KY' },
]

export interface DemoProduct {
    code: string
    name: string
    unit: string
    /** FCFA per dispensing unit. */
    unitPrice: number
    /** Typical quantities sold on one line. */
    quantities: readonly number[]
}

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
    { code: 'AMOX500C', name: 'Amoxicilline 500 mg gélule', unit: 'gélule', unitPrice: 75, quantities: [12, 14, 21, 30] },
    { code: 'PARA500T', name: 'Paracétamol 500 mg comprimé', unit: 'comprimé', unitPrice: 25, quantities: [10, 12, 20, 30] },
    { code: 'ARTLUM20', name: 'Artéméther-luméfantrine 20/120 mg comprimé', unit: 'comprimé', unitPrice: 125, quantities: [6, 12, 18, 24] },
    { code: 'SRO1L', name: 'Sels de réhydratation orale (SRO) sachet', unit: 'sachet', unitPrice: 100, quantities: [2, 4, 6] },
    { code: 'CEFTRI1G', name: 'Ceftriaxone 1 g poudre injectable', unit: 'ampoule', unitPrice: 1500, quantities: [1, 2, 3, 5] },
    { code: 'METRO250', name: 'Métronidazole 250 mg comprimé', unit: 'comprimé', unitPrice: 30, quantities: [14, 20, 21] },
    { code: 'IBU400T', name: 'Ibuprofène 400 mg comprimé', unit: 'comprimé', unitPrice: 40, quantities: [10, 15, 20] },
    { code: 'COTRI480', name: 'Cotrimoxazole 480 mg comprimé', unit: 'comprimé', unitPrice: 20, quantities: [10, 20, 28] },
    { code: 'HYDROC1', name: 'Hydrocortisone crème 1 % tube 15 g', unit: 'tube', unitPrice: 1250, quantities: [1, 2] },
    { code: 'SERGLU5', name: 'Sérum glucosé 5 % 500 ml', unit: 'flacon', unitPrice: 750, quantities: [1, 2, 4] },
]
