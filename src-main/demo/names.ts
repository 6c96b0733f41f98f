/** Material for realistic demo households in a northern Chinese heating district. */
// Common surnames, weighted by repetition (the most common appear more than once).
export const SURNAMES = [
  ...'王王王王李李李李张张张张刘刘刘陈陈杨杨赵赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段',
];
export const GIVEN_CHARS = [
  ...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建国志明海燕晓东春梅淑珍国庆文博宇浩然子涵欣怡佳琪雨轩梓萱一诺俊杰思远立新振华丽娟德胜凤兰宝山永福金凤玉珍',
];
export const COMMUNITIES = [
  '阳光花园',
  '幸福里',
  '锦绣家园',
  '翠湖小区',
  '铁路新村',
  '和平小区',
  '东方明珠苑',
  '建设街小区',
  '丽景华庭',
  '金色家园',
  '学府花园',
  '新华里',
  '红旗小区',
  '春晖园',
  '北苑小区',
  '长青园',
  '富康小区',
  '滨河花园',
  '电业小区',
  '矿务局宿舍',
  '世纪城',
  '怡馨家园',
  '安居小区',
  '嘉禾苑',
];
