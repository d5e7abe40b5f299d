// The practice's patients, read once per page view and looked up by id for names in lists.
import { api } from './api.js';

export async function patientDirectory() {
  const list = (await api.get('/patients?limit=500')).items;
  const byId = new Map(list.map(p => [p.id, p]));
  return {list, get: (id) => byId.get(id)};
}
