// The regions most teams deploy to; any other region can be typed in.
export const COMMON_REGIONS: readonly { readonly id: string; readonly place: string }[] = [
  { id: 'us-east-1', place: 'N. Virginia' },
  { id: 'us-east-2', place: 'Ohio' },
  { id: 'us-west-1', place: 'N. California' },
  { id: 'us-west-2', place: 'Oregon' },
  { id: 'ca-central-1', place: 'Canada' },
  { id: 'sa-east-1', place: 'São Paulo' },
  { id: 'eu-west-1', place: 'Ireland' },
  { id: 'eu-west-2', place: 'London' },
  { id: 'eu-west-3', place: 'Paris' },
  { id: 'eu-central-1', place: 'Frankfurt' },
  { id: 'eu-north-1', place: 'Stockholm' },
  { id: 'eu-south-1', place: 'Milan' },
  { id: 'ap-south-1', place: 'Mumbai' },
  { id: 'ap-northeast-1', place: 'Tokyo' },
  { id: 'ap-northeast-2', place: 'Seoul' },
  { id: 'ap-southeast-1', place: 'Singapore' },
  { id: 'ap-southeast-2', place: 'Sydney' },
];

export const isCommonRegion = (region: string): boolean => COMMON_REGIONS.some((r) => r.id === region);
