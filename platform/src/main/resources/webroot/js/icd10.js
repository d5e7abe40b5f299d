// ICD-10-CM codes for the typeahead of a patient's conditions: a curated list of billable codes for the chronic
// conditions CCM, PCM and RPM practices see most (CMS's examples in billing-rules.md 2.2 and the demo's conditions), not
// the whole CMS table. Any other code can still be typed; the clinical tier checks its format and refuses the
// category headers it knows (E11, I50, N18.3, …) with the codes to use instead.
export const ICD10_CODES = [
  ['I10', 'Essential (primary) hypertension'],
  ['I11.0', 'Hypertensive heart disease with heart failure'],
  ['I11.9', 'Hypertensive heart disease without heart failure'],
  ['I12.9', 'Hypertensive chronic kidney disease with stage 1-4 or unspecified CKD'],
  ['I13.0', 'Hypertensive heart and chronic kidney disease with heart failure and stage 1-4 or unspecified CKD'],
  ['I25.10', 'Atherosclerotic heart disease of native coronary artery without angina pectoris'],
  ['I48.91', 'Unspecified atrial fibrillation'],
  ['I50.9', 'Heart failure, unspecified'],
  ['I50.22', 'Chronic systolic (congestive) heart failure'],
  ['I50.32', 'Chronic diastolic (congestive) heart failure'],
  ['I50.42', 'Chronic combined systolic and diastolic heart failure'],
  ['I63.9', 'Cerebral infarction, unspecified'],
  ['I69.351', 'Hemiplegia and hemiparesis following cerebral infarction affecting right dominant side'],
  ['I73.9', 'Peripheral vascular disease, unspecified'],
  ['E11.9', 'Type 2 diabetes mellitus without complications'],
  ['E11.22', 'Type 2 diabetes mellitus with diabetic chronic kidney disease'],
  ['E11.40', 'Type 2 diabetes mellitus with diabetic neuropathy, unspecified'],
  ['E11.65', 'Type 2 diabetes mellitus with hyperglycemia'],
  ['E11.69', 'Type 2 diabetes mellitus with other specified complication'],
  ['E10.9', 'Type 1 diabetes mellitus without complications'],
  ['E03.9', 'Hypothyroidism, unspecified'],
  ['E66.01', 'Morbid (severe) obesity due to excess calories'],
  ['E78.5', 'Hyperlipidemia, unspecified'],
  ['E78.00', 'Pure hypercholesterolemia, unspecified'],
  ['N18.1', 'Chronic kidney disease, stage 1'],
  ['N18.2', 'Chronic kidney disease, stage 2 (mild)'],
  ['N18.30', 'Chronic kidney disease, stage 3 unspecified'],
  ['N18.31', 'Chronic kidney disease, stage 3a'],
  ['N18.32', 'Chronic kidney disease, stage 3b'],
  ['N18.4', 'Chronic kidney disease, stage 4 (severe)'],
  ['N18.5', 'Chronic kidney disease, stage 5'],
  ['J44.9', 'Chronic obstructive pulmonary disease, unspecified'],
  ['J44.1', 'Chronic obstructive pulmonary disease with (acute) exacerbation'],
  ['J45.909', 'Unspecified asthma, uncomplicated'],
  ['J45.40', 'Moderate persistent asthma, uncomplicated'],
  ['G47.33', 'Obstructive sleep apnea (adult) (pediatric)'],
  ['M06.9', 'Rheumatoid arthritis, unspecified'],
  ['M19.90', 'Unspecified osteoarthritis, unspecified site'],
  ['M17.0', 'Bilateral primary osteoarthritis of knee'],
  ['M81.0', 'Age-related osteoporosis without current pathological fracture'],
  ['F32.A', 'Depression, unspecified'],
  ['F33.9', 'Major depressive disorder, recurrent, unspecified'],
  ['F41.1', 'Generalized anxiety disorder'],
  ['F03.90', 'Unspecified dementia, unspecified severity, without behavioral disturbance'],
  ['G30.9', "Alzheimer's disease, unspecified"],
  ['G20.A1', "Parkinson's disease without dyskinesia, without mention of fluctuations"],
  ['K21.9', 'Gastro-esophageal reflux disease without esophagitis'],
  ['K74.60', 'Unspecified cirrhosis of liver'],
  ['D63.1', 'Anemia in chronic kidney disease'],
  ['C61', 'Malignant neoplasm of prostate'],
  ['Z79.4', 'Long term (current) use of insulin'],
];

/** Codes whose code or words contain every word typed, best (code prefix) first; at most `limit`. */
export function searchIcd10(query, limit = 12) {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [];
  const hits = ICD10_CODES.filter(([code, text]) => words.every(w => code.toLowerCase().includes(w) || text.toLowerCase().includes(w)));
  const q = words[0];
  hits.sort((a, b) => Number(!a[0].toLowerCase().startsWith(q)) - Number(!b[0].toLowerCase().startsWith(q)));
  return hits.slice(0, limit);
}
