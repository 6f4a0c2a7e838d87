// Vietnam's 34 provincial-level units since 1 July 2025 (as the API and the portal write them):
// the six centrally-run cities, then the 28 provinces. Names are data, sent as they are written.
export const CITIES = ['Hà Nội', 'Thành phố Hồ Chí Minh', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ', 'Huế'];
export const PROVINCES = [
  'An Giang', 'Bắc Ninh', 'Cà Mau', 'Cao Bằng', 'Đắk Lắk', 'Điện Biên', 'Đồng Nai', 'Đồng Tháp',
  'Gia Lai', 'Hà Tĩnh', 'Hưng Yên', 'Khánh Hòa', 'Lai Châu', 'Lâm Đồng', 'Lạng Sơn', 'Lào Cai',
  'Nghệ An', 'Ninh Bình', 'Phú Thọ', 'Quảng Ngãi', 'Quảng Ninh', 'Quảng Trị', 'Sơn La',
  'Tây Ninh', 'Thái Nguyên', 'Thanh Hóa', 'Tuyên Quang', 'Vĩnh Long',
];

/** The 34 as a picker's groups (cities first), labelled in the reader's language. */
export function provinceGroups(t: (key: string) => string) {
  return [
    { group: t('partners.cities'), items: CITIES },
    { group: t('partners.provinces'), items: PROVINCES },
  ];
}
